//! `mamori gateway audit FILE...`: the audit is `mamori_app::gateway::audit`; here it is
//! printed and given its exit code.

use mamori_app::Clock;

use crate::Outcome;
use crate::cli::{GatewayAuditArgs, GlobalArgs, HuntFormat};
use crate::output;

pub fn audit(global: &GlobalArgs, args: &GatewayAuditArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let audit = mamori_app::gateway::audit(&args.paths, &Clock::system());
    let findings = &audit.findings;
    match args.format {
        HuntFormat::Table => output::stdout(&mamori_report::render_gateway_table(
            findings,
            &audit.site.gateways,
            &audit.skipped,
            lang,
        ))?,
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(findings))?;
            for (file, reason) in &audit.skipped {
                output::note(&format!("{file}: {}", reason.get(lang)));
            }
        }
    }
    let complete = !audit.site.gateways.is_empty();
    Ok(Outcome::of(
        complete,
        args.fail_on,
        findings.iter().map(|f| f.severity),
    ))
}
