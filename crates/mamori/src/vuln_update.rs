//! `mamori vuln update`: the download, checks and import are `mamori_app::vuln_update`; here
//! the flags become options and the outcome an exit code.

use mamori_app::vuln_update::UpdateOptions;
use mamori_vuln::FeedKind;

use crate::Outcome;
use crate::cli::{FeedArg, GlobalArgs, VulnUpdateArgs};
use crate::output;

pub fn run(global: &GlobalArgs, args: &VulnUpdateArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = UpdateOptions {
        db: global.db_path(),
        cache: args.cache.clone(),
        mirror: args.mirror.clone(),
        kinds: args
            .feeds
            .iter()
            .map(|f| match f {
                FeedArg::Kev => FeedKind::Kev,
                FeedArg::Nvd => FeedKind::Nvd,
                FeedArg::Jvn => FeedKind::Jvn,
                FeedArg::Epss => FeedKind::Epss,
            })
            .collect(),
        full: args.full,
    };
    let outcome = mamori_app::vuln_update::update(&opts, &output::Terminal, lang)?;
    Ok(if outcome.failures > 0 {
        Outcome::InputErrors
    } else {
        Outcome::Ok
    })
}
