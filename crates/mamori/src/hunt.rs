//! `mamori hunt PATH...`: read logs, run the log detections, print findings and a per-file
//! summary.

use anyhow::Context;
use jiff::Timestamp;
use mamori_hunt::{HuntConfig, ReadOptions, TimeContext};
use mamori_model::Lang;
use mamori_report::HuntFile;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntArgs, HuntFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HuntArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let reference = args
        .as_of
        .unwrap_or_else(|| Timestamp::now().to_zoned(zone.clone()).date());
    let mut config = HuntConfig::default();
    if let Some(site_dir) = &args.site {
        match mamori_ingest::load_site(site_dir, reference.max(crate::assess::today_in_tokyo())) {
            Ok(load) => config = HuntConfig::for_site(load.site.config),
            Err(errors) => {
                for e in &errors {
                    output::error(&e.describe(lang));
                }
                return Ok(Outcome::InputErrors);
            }
        }
    }
    // Flags win over site.toml.
    if let Some(n) = args.bruteforce_failures {
        config.bruteforce_failures = n as usize;
    }
    if let Some(n) = args.spray_accounts {
        config.spray_accounts = n as usize;
    }
    let tc = TimeContext { zone, reference };
    let opts = ReadOptions {
        tc,
        format: args.log_format.map(Into::into),
        timeline: args.timeline.is_some(),
        within: None,
    };
    let (input, findings) = mamori_hunt::hunt(&args.paths, &opts, &config);
    if let Some(path) = &args.timeline {
        write_timeline(path, input.timeline)?;
        let events = input.events.total();
        output::note(&match lang {
            Lang::Ja => format!(
                "タイムライン（{events} 件、ファイル順）を {} に書き出しました。",
                path.display()
            ),
            Lang::En => format!(
                "Timeline ({events} events, in file order) written to {}.",
                path.display()
            ),
        });
    }
    let files: Vec<HuntFile> = input
        .files
        .iter()
        .map(|f| HuntFile {
            file: f.file.clone(),
            format: f.format.to_owned(),
            records: f.records,
            events: f.events,
            skipped: f.skipped.iter().map(|(r, n)| (r.clone(), *n)).collect(),
            error: f.error.clone(),
            damaged: f.damaged.clone(),
        })
        .collect();
    match args.format {
        HuntFormat::Table => {
            output::stdout(&mamori_report::render_hunt_table(&findings, &files, lang))?
        }
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(&findings))?;
            for f in &files {
                for e in f.error.iter().chain(&f.damaged) {
                    output::note(&format!("{}: {}", f.file, e.get(lang)));
                }
            }
        }
    }
    // A file read only in part is never a clean run: what it held is unknown.
    let unreadable = files.iter().all(|f| f.error.is_some()) && !files.is_empty();
    Ok(
        if unreadable || input.files.iter().any(|f| f.is_incomplete()) {
            Outcome::InputErrors
        } else {
            Outcome::Ok
        },
    )
}

/// The timeline parts, one per file and each in the file's own order, joined under the header.
/// Written to a temporary file beside the target and renamed, so a failed run leaves no half
/// file behind.
fn write_timeline(path: &std::path::Path, parts: Vec<std::fs::File>) -> anyhow::Result<()> {
    use std::io::{Seek, Write};
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut out = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    out.write_all(mamori_hunt::timeline::HEADER.as_bytes())?;
    for mut part in parts {
        part.rewind()?;
        std::io::copy(&mut part, &mut out)?;
    }
    out.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
