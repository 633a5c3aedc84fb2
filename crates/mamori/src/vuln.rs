//! `mamori vuln import|status`: the pipelines are `mamori_app::vuln_import::import` and
//! `mamori_app::vuln::status`; here they are run and printed.

use mamori_checks::vuln::feed_stale::stamp_date;
use mamori_model::{Lang, tr};
use mamori_store::default_db_path;
use mamori_vuln::FeedKind;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntFormat, VulnImportArgs, VulnStatusArgs};
use crate::output;

pub fn import(global: &GlobalArgs, args: &VulnImportArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let db = global.db.clone().unwrap_or_else(default_db_path);
    let outcome = crate::runtime()?.block_on(mamori_app::vuln_import::import(
        &args.paths,
        &db,
        &output::Terminal,
        lang,
    ))?;
    Ok(if outcome.is_incomplete() {
        Outcome::InputErrors
    } else {
        Outcome::Ok
    })
}

pub fn status(global: &GlobalArgs, args: &VulnStatusArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let db = global.db.clone().unwrap_or_else(default_db_path);
    let as_of = args.as_of.unwrap_or_else(mamori_app::today_in_tokyo);
    let mamori_app::vuln::VulnStatus { rows, counts } =
        crate::runtime()?.block_on(mamori_app::vuln::status(&db))?;
    let age = |stamp: Option<&str>| {
        stamp
            .and_then(stamp_date)
            .and_then(|d| d.until(as_of).ok())
            .map(|s| i64::from(s.get_days()))
    };
    if args.format == HuntFormat::Json {
        let feeds: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "kind": r.kind, "source": r.source, "format": r.format, "data_date": r.stamp,
                    "age_days": age(r.stamp.as_deref()), "imported_at": r.imported_at,
                    "records": r.records, "added": r.added, "updated": r.updated,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "database": db.display().to_string(),
            "counts": { "cves": counts[0], "kev": counts[1], "jvn": counts[2], "epss": counts[3] },
            "feeds": feeds,
        });
        output::stdout(&format!("{doc:#}\n"))?;
        return Ok(Outcome::Ok);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {}\n{}: CVE {} / KEV {} / JVN {} / EPSS {}\n\n",
        tr(lang, "データベース", "Database"),
        db.display(),
        tr(lang, "件数", "Records"),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    ));
    if rows.is_empty() {
        out.push_str(tr(
            lang,
            "脆弱性情報はまだ読み込まれていません。`mamori vuln import ファイル` で読み込んでください。\n",
            "No vulnerability data loaded yet: run `mamori vuln import FILE`.\n",
        ));
    }
    for kind in FeedKind::ALL {
        let of_kind: Vec<_> = rows.iter().filter(|r| r.kind == kind.as_str()).collect();
        let Some(newest) = of_kind.iter().filter_map(|r| r.stamp.as_deref()).max() else {
            continue;
        };
        let days = age(Some(newest));
        let stale = days.is_some_and(|d| d > 7);
        out.push_str(&format!(
            "{:<11} {} {}{}\n",
            kind.label(),
            &newest[..newest.len().min(10)],
            days.map_or_else(String::new, |d| format!(
                "({d} {})",
                tr(lang, "日前", "days ago")
            )),
            if stale {
                tr(lang, "  ← 7日以上前の情報です", "  ← older than 7 days")
            } else {
                ""
            }
        ));
        for r in of_kind {
            out.push_str(&format!(
                "    {} [{}] {} {}\n",
                r.source,
                r.format,
                r.records,
                tr(lang, "件", "records")
            ));
        }
    }
    output::stdout(&out)?;
    Ok(Outcome::Ok)
}
