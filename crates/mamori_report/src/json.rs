//! The JSON report (`--format json`), documented in `docs/findings.md`. Field names are a
//! public contract; bump `schema` when one changes meaning.

use serde::Serialize;

use crate::{Report, Summary};

pub const SCHEMA: &str = "mamori.assess/1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool<'a>,
    #[serde(flatten)]
    report: &'a Report,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

/// The report as JSON for scripts (`docs/findings.md`).
pub fn render_json(report: &Report) -> String {
    let doc = Document {
        schema: SCHEMA,
        tool: Tool {
            name: "mamori",
            version: &report.tool_version,
        },
        report,
        summary: report.summary(),
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("report serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn document_has_the_documented_shape() {
        let v: serde_json::Value = serde_json::from_str(&render_json(&report())).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        assert_eq!(v["site"]["name"], "みなと中央病院");
        assert_eq!(v["as_of"], "2026-11-21");
        assert_eq!(v["summary"]["critical"], 1);
        assert_eq!(v["run"]["previous_run_id"], 1);
        let f = &v["findings"][0];
        for key in [
            "id",
            "rule_id",
            "severity",
            "subject",
            "title",
            "message",
            "evidence",
            "measures",
            "checklist_items",
            "remediation",
            "new",
            "first_seen",
        ] {
            assert!(!f[key].is_null(), "finding lacks {key}: {f}");
        }
        assert_eq!(f["severity"], "critical");
        assert_eq!(f["subject"]["kind"], "asset");
        assert_eq!(f["evidence"]["sources"][0]["file"], "assets.csv");
        assert_eq!(f["message"]["ja"], "FW-01 のメッセージ <b>");
        assert_eq!(v["resolved"][0]["rule_id"], "asset.av-stale");
        assert_eq!(v["inputs"][0]["encoding"], "CP932");
        assert_eq!(v["skipped"][0]["file"], "logs/");
        assert_eq!(v["errors"][0]["line"], 5);
    }
}
