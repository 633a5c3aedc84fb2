//! `mail check`: finds the mails under the paths given, builds what the rules compare against
//! (the site's name, domains, vendors and staff; the blocklists) and judges every mail.

use std::path::{Path, PathBuf};

use mamori_mail::context::{Party, is_free_mail};
use mamori_mail::{MailCheck, MailContext};
use mamori_model::Localized;
use mamori_model::site::Site;
use rayon::prelude::*;

use crate::{Clock, SiteFolder};

/// File extensions read when walking a folder (a file named on the command line is always
/// read). Maildir files have no extension.
const MAIL_EXTENSIONS: &[&str] = &["eml", "msg", "mbox", "mbx", "mail"];

/// How to check.
pub struct MailOptions {
    /// Files and folders.
    pub paths: Vec<PathBuf>,
    /// The site folder whose name, `[mail]` domains, vendors, contacts and staff are compared.
    pub site: Option<SiteFolder>,
    /// The database holding imported blocklists.
    pub db: PathBuf,
    /// Where "today" comes from (the site's tables are read as of it).
    pub clock: Clock,
}

/// What was read and judged.
pub struct MailRun {
    /// Every mail, in file order.
    pub checks: Vec<MailCheck>,
    /// Files left out, with the reason.
    pub skipped: Vec<(String, Localized)>,
    /// Blocklists matched against (0: `mail.blocklisted` had nothing to compare with).
    pub lists: usize,
    /// The site's name, for the staff notice.
    pub site_name: Option<String>,
}

/// Reads and judges every mail under `options.paths`.
pub async fn check(options: &MailOptions) -> anyhow::Result<MailRun> {
    let (mut ctx, site_name, mut skipped) = match &options.site {
        Some(site) => context_of(site, &options.clock)?,
        None => (MailContext::default(), None, Vec::new()),
    };
    let (intel, unreadable_lists) = crate::intel::load(&options.db, options.site.as_ref()).await?;
    skipped.extend(unreadable_lists);
    ctx.intel = intel;
    let (files, walk_skipped) = mail_files(&options.paths);
    skipped.extend(walk_skipped);
    let mut checks: Vec<MailCheck> = files
        .par_iter()
        .flat_map_iter(|path| {
            let name = path.display().to_string();
            let mails = match mamori_ingest::files::read_limited(path) {
                Ok(bytes) => mamori_mail::source::read_mails(&name, &bytes),
                Err(e) => {
                    let mut unread = mamori_mail::parse_mail(&name, b"");
                    unread.problems = vec![format!("読めません: {e}")];
                    vec![unread]
                }
            };
            mails.into_iter().map(|m| {
                let mut checked = mamori_mail::check(m, &ctx);
                // The body and its links were judged; what is reported is the sender, the
                // subject, the attachments and the findings. A mailbox of 100,000 mails is not
                // held whole.
                checked.mail.text = String::new();
                checked.mail.links = Vec::new();
                checked
            })
        })
        .collect();
    checks.sort_by(|a, b| a.mail.source.cmp(&b.mail.source));
    Ok(MailRun {
        checks,
        skipped,
        lists: ctx.intel.lists.len(),
        site_name,
    })
}

/// The files to read: named files always, files in folders when they look like mail.
fn mail_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(String, Localized)>) {
    let walked = mamori_ingest::files::walk(paths);
    let mut skipped: Vec<(String, Localized)> = walked
        .skipped
        .into_iter()
        .map(|(p, why)| (p.display().to_string(), why))
        .collect();
    let mut files = Vec::new();
    for path in walked.files {
        let named = paths.iter().any(|p| p == &path);
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let looks_like_mail = match &ext {
            None => true,
            Some(e) => MAIL_EXTENSIONS.contains(&e.as_str()) || e.contains(":2,"),
        };
        if named || looks_like_mail {
            files.push(path);
        } else {
            skipped.push((
                path.display().to_string(),
                Localized::new(
                    "メールの拡張子（.eml .msg .mbox）ではないので読みませんでした（ファイル名で指定すれば読みます）",
                    "not a mail extension (.eml .msg .mbox): not read (name the file to read it)",
                ),
            ));
        }
    }
    (files, skipped)
}

type Context = (MailContext, Option<String>, Vec<(String, Localized)>);

/// The institution, its partners and staff, from the site folder.
fn context_of(site: &SiteFolder, clock: &Clock) -> anyhow::Result<Context> {
    let load = site.load(clock.today(), clock).map_err(|errors| {
        let first = errors
            .first()
            .map(|e| e.describe(mamori_model::Lang::Ja))
            .unwrap_or_default();
        anyhow::anyhow!(
            "サイトフォルダ {} を読めません / cannot read the site folder: {first}",
            site.root().display()
        )
    })?;
    let notes = load
        .errors
        .iter()
        .map(|e| {
            let why = Localized::new(
                e.describe(mamori_model::Lang::Ja),
                e.describe(mamori_model::Lang::En),
            );
            (e.file.clone(), why)
        })
        .collect();
    Ok((
        context_from_site(&load.site),
        Some(load.site.config.name.clone()),
        notes,
    ))
}

/// What the rules compare against, from a site as read.
pub fn context_from_site(site: &Site) -> MailContext {
    let config = &site.config;
    let mut partner_domains = config.mail.partner_domains.clone();
    for contact in &site.contacts {
        if let Some((_, domain)) = contact.email.trim().rsplit_once('@') {
            let domain = domain.trim().to_ascii_lowercase();
            let own = config.mail.domains.contains(&domain);
            if !domain.is_empty()
                && !is_free_mail(&domain)
                && !own
                && !partner_domains.contains(&domain)
            {
                partner_domains.push(domain);
            }
        }
    }
    let partners = site
        .vendors
        .iter()
        .map(|v| Party {
            names: company_names(&v.name),
            domains: partner_domains.clone(),
        })
        .collect();
    MailContext {
        institution: Party {
            names: vec![config.name.clone()],
            domains: config.mail.domains.clone(),
        },
        partners,
        staff: site
            .staff
            .iter()
            .map(|s| s.name.clone())
            .filter(|n| n.chars().count() >= 3)
            .collect(),
        ..MailContext::default()
    }
}

/// A company's name as written and without its legal form (`株式会社メディカルシステムズ` is
/// also `メディカルシステムズ` in a sender's name).
fn company_names(name: &str) -> Vec<String> {
    let mut names = vec![name.trim().to_owned()];
    let mut bare = name.to_owned();
    for form in [
        "株式会社",
        "有限会社",
        "合同会社",
        "（株）",
        "(株)",
        "㈱",
        "Co., Ltd.",
        "Inc.",
    ] {
        bare = bare.replace(form, "");
    }
    let bare = bare.trim().to_owned();
    if bare != names[0] && bare.chars().count() >= 3 {
        names.push(bare);
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The path a mail came from, relative to where it was found (for the notice).
pub fn file_name(source: &str) -> &str {
    Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(source)
}
