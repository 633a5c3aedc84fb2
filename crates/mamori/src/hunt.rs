//! `mamori hunt PATH...`: read logs, run the log detections, print findings and a per-file
//! summary.

use jiff::Timestamp;
use mamori_hunt::{HuntConfig, TimeContext};
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
        match mamori_ingest::load_site(site_dir) {
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
    let (input, findings) = mamori_hunt::hunt(&args.paths, &tc, &config);
    if let Some(path) = &args.timeline {
        output::write_file(path, &timeline_csv(&input.events)?)?;
        output::note(&match lang {
            Lang::Ja => format!(
                "タイムライン（{} 件）を {} に書き出しました。",
                input.events.len(),
                path.display()
            ),
            Lang::En => format!(
                "Timeline ({} events) written to {}.",
                input.events.len(),
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
        })
        .collect();
    match args.format {
        HuntFormat::Table => {
            output::stdout(&mamori_report::render_hunt_table(&findings, &files, lang))?
        }
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(&findings))?;
            for f in files.iter().filter(|f| f.error.is_some()) {
                if let Some(e) = &f.error {
                    output::note(&format!("{}: {}", f.file, e.get(lang)));
                }
            }
        }
    }
    let unreadable = files
        .iter()
        .any(|f| f.error.is_some() && f.format != "compressed" && !f.format.is_empty());
    let _ = unreadable;
    Ok(
        if files.iter().all(|f| f.error.is_some()) && !files.is_empty() {
            Outcome::InputErrors
        } else {
            Outcome::Ok
        },
    )
}

/// The normalised events as CSV, oldest first, times in Asia/Tokyo. UTF-8 with a BOM so that
/// Excel on Japanese Windows opens it without garbling.
fn timeline_csv(events: &[mamori_model::event::LogEvent]) -> anyhow::Result<String> {
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let mut sorted: Vec<_> = events.iter().collect();
    sorted.sort_by_key(|e| e.time);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "time_jst",
        "time_utc",
        "kind",
        "outcome",
        "method",
        "host",
        "source_ip",
        "source_host",
        "user",
        "domain",
        "actor",
        "object",
        "reason",
        "source_event",
        "file",
        "line",
        "record_id",
    ])?;
    let text = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    for e in sorted {
        w.write_record([
            e.time
                .map(|t| {
                    t.to_zoned(zone.clone())
                        .strftime("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_default(),
            e.time.map(|t| t.to_string()).unwrap_or_default(),
            text(serde_json::to_value(e.kind)?),
            text(serde_json::to_value(e.outcome)?),
            e.method.map(|m| m.as_str().to_owned()).unwrap_or_default(),
            e.host.clone(),
            e.source_ip.map(|ip| ip.to_string()).unwrap_or_default(),
            e.source_host.clone(),
            e.user.clone(),
            e.domain.clone(),
            e.actor.clone(),
            e.object.clone(),
            e.reason.clone(),
            e.source_event.clone(),
            e.origin.file.clone(),
            e.origin.line.map(|l| l.to_string()).unwrap_or_default(),
            e.origin
                .record_id
                .map(|r| r.to_string())
                .unwrap_or_default(),
        ])?;
    }
    let body = String::from_utf8(w.into_inner()?)?;
    Ok(format!("\u{FEFF}{body}"))
}
