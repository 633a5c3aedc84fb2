//! `mamori checklist` and `mamori holiday` end to end on the demo hospital: the false 「はい」,
//! the XLSX re-read cell by cell, the fiscal-year boundary, and the year-end window across the
//! change of year with its logs.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

mod support;

use support::{Env, demo_dir};

impl Env {
    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn assess_rules(&self, site: &Path, as_of: &str) -> Vec<(String, String)> {
        let json = self.json(&[
            "assess",
            site.to_str().unwrap(),
            "--as-of",
            as_of,
            "--format",
            "json",
            "--no-store",
        ]);
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_owned(),
                    f["subject"]["key"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

fn demo() -> String {
    demo_dir().to_str().unwrap().to_owned()
}

#[test]
fn the_demos_false_yes_is_a_contradiction_with_its_evidence() {
    let env = Env::new();
    let json = env.json(&[
        "checklist",
        &demo(),
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    assert_eq!(json["fiscal_year"], 2026);
    let sheets = json["sheets"].as_array().unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "医療機関確認用",
            "BCP確認表",
            "事業者確認用 V01",
            "事業者確認用 V02",
            "事業者確認用 V03",
            "事業者確認用 V04",
            "事業者確認用 V05"
        ]
    );
    let rows = sheets[0]["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        18,
        "the R7 list applies to FY2026 (newest known)"
    );
    let flagged: Vec<&str> = rows
        .iter()
        .filter(|r| r["contradicted"] == true)
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    // Two false はい: the leavers' accounts, and backups "confirmed" while the laboratory
    // system has none and PACS has no copy off the network (the demo's backup story).
    assert_eq!(
        flagged,
        ["unneeded-accounts", "backup-restore"],
        "the demo's false はい"
    );
    let row = rows
        .iter()
        .find(|r| r["key"] == "unneeded-accounts")
        .unwrap();
    assert_eq!(row["answer"]["ja"], "はい");
    assert!(
        row["observation"]["ja"]
            .as_str()
            .unwrap()
            .contains("「退職者のアカウントが有効のまま」5件")
    );
    assert_eq!(row["suggestion"]["ja"], "いいえ（提案）");
    // An item mamori cannot decide gets no suggestion.
    let officer = rows
        .iter()
        .find(|r| r["key"] == "security-officer")
        .unwrap();
    assert!(officer["suggestion"].is_null());
    assert_eq!(
        officer["evidence_files"][0],
        "evidence/2026/officer-appointment.txt"
    );

    let findings: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["subject"]["key"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(findings.contains(&("checklist.contradiction", "institution:unneeded-accounts")));
    assert!(findings.contains(&("checklist.contradiction", "institution:backup-restore")));
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.0 == "checklist.contradiction")
            .count(),
        2
    );
    assert!(
        findings.contains(&("checklist.unanswered", "institution:bcp")),
        "{findings:?}"
    );
    assert!(findings.contains(&("checklist.no-target-date", "institution:external-media")));
    // 二要素認証 may aim at 令和9年度 (FY2027): 2027-09-30 is accepted.
    assert!(!findings.contains(&("checklist.no-target-date", "institution:two-factor")));
    // V01 returned its list this year (checklist.toml), V02 did not.
    assert!(findings.contains(&("vendor.checklist-missing", "V02")));
    assert!(!findings.contains(&("vendor.checklist-missing", "V01")));
}

#[test]
fn the_xlsx_export_reads_back_like_the_official_list() {
    let env = Env::new();
    let out = env.dir.path().join("checklist.xlsx");
    let run = env.run(&[
        "checklist",
        &demo(),
        "--as-of",
        "2026-11-21",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "医療機関確認用",
            "BCP確認表",
            "事業者確認用 V01",
            "事業者確認用 V02",
            "事業者確認用 V03",
            "事業者確認用 V04",
            "事業者確認用 V05"
        ]
    );
    let sheet = book.worksheet_range("医療機関確認用").unwrap();
    let text = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    };
    assert!(
        text(0, 0).contains("医療機関確認用）令和7年度版"),
        "{}",
        text(0, 0)
    );
    assert!(text(1, 0).contains("さくら台総合病院"), "{}", text(1, 0));
    let header = 3;
    let columns: Vec<String> = (0..9).map(|c| text(header, c)).collect();
    assert_eq!(
        columns,
        [
            "番号",
            "項目",
            "対象",
            "回答",
            "確認日",
            "確認者",
            "目標日",
            "根拠資料・備考",
            "mamori の確認結果"
        ]
    );
    let row_of = |number: &str| {
        (header + 1..header + 40)
            .find(|&r| text(r, 0) == number)
            .unwrap_or_else(|| panic!("no row {number}"))
    };
    // The number as the official list prints it; that it was inferred goes in the notes.
    assert!((header + 1..header + 40).all(|r| !text(r, 0).contains('?')));
    let r = row_of("2-⑤");
    assert!(text(r, 1).starts_with("退職者のアカウント"));
    assert_eq!(text(r, 2), "サーバ・端末PC");
    assert_eq!(text(r, 3), "はい");
    assert_eq!(text(r, 4), "2026-06-15");
    assert_eq!(text(r, 5), "情報システム係 高橋");
    assert_eq!(
        text(r, 7),
        "人事課の退職者一覧と照合済み / 番号は今年度の様式から推定（公式の様式で確認してください）"
    );
    assert!(
        text(r, 8).contains("退職者のアカウントが有効のまま"),
        "{}",
        text(r, 8)
    );
    let r = row_of("2-⑩");
    assert_eq!(
        (text(r, 3).as_str(), text(r, 6).as_str()),
        ("いいえ", "2027-09-30")
    );
    let r = row_of("1-①");
    assert_eq!(text(r, 7), "evidence/2026/officer-appointment.txt");

    let vendor = book.worksheet_range("事業者確認用 V01").unwrap();
    let v = |r: u32, c: u32| {
        vendor
            .get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert!(v(2, 0).contains("回収 2026-06-10"), "{}", v(2, 0));
    let patches = (5..30).find(|&r| v(r, 0) == "2-⑥").unwrap();
    assert_eq!(v(patches, 3), "はい");

    // Without --out an XLSX has nowhere to go: said, exit 2.
    let run = env.run(&["checklist", &demo(), "--format", "xlsx"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--out"));
}

#[test]
fn the_fiscal_year_turns_on_april_first() {
    let env = Env::new();
    let site = demo_dir();
    // 3/31: still FY2026, answered (one item without a date).
    let march = env.assess_rules(&site, "2027-03-31");
    assert!(march.contains(&("checklist.unanswered".into(), "institution:bcp".into())));
    assert!(!march.contains(&("checklist.unanswered".into(), "institution".into())));
    assert!(!march.contains(&("vendor.checklist-missing".into(), "V01".into())));
    // 4/1: FY2027 has no answers yet; V01's return was last year's.
    let april = env.assess_rules(&site, "2027-04-01");
    assert!(
        april.contains(&("checklist.unanswered".into(), "institution".into())),
        "{april:?}"
    );
    assert!(!april.iter().any(|(r, _)| r == "checklist.contradiction"));
    assert!(april.contains(&("vendor.checklist-missing".into(), "V01".into())));
    // The checklist command picks the version for the year asked.
    let json = env.json(&[
        "checklist",
        site.to_str().unwrap(),
        "--fiscal-year",
        "2024",
        "--format",
        "json",
    ]);
    assert!(
        json["sheets"][0]["title"]
            .as_str()
            .unwrap()
            .contains("令和6年度版")
    );
    assert_eq!(
        json["as_of"], "2025-03-31",
        "a past year is judged on its last day"
    );
}

#[test]
fn the_holiday_window_runs_across_new_year_with_its_logs() {
    let env = Env::new();
    // Last year's closure, 2025-12-29 to 2026-01-03, reviewed a week later.
    let json = env.json(&[
        "holiday",
        &demo(),
        "--year",
        "2025",
        "--as-of",
        "2026-01-10",
        "--format",
        "json",
    ]);
    assert_eq!(
        (json["start"].as_str(), json["end"].as_str()),
        (Some("2025-12-29"), Some("2026-01-03"))
    );
    let step = |key: &str| {
        json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(step("connection-rules")["due"], "2025-12-28");
    assert_eq!(step("connection-rules")["state"], "done");
    assert_eq!(step("power-off")["state"], "todo");
    assert_eq!(step("log-review")["due"], "2026-01-10");
    assert_eq!(step("log-review")["state"], "done");
    assert_eq!(
        step("takeout-scanned")["state"],
        "ok",
        "the one laptop was scanned"
    );
    // The demo FortiGate log: 34 events from 12-30 to 01-01 inside the window, 12-25, 12-27
    // and 01-06 outside it.
    let review = &json["log_review"];
    assert_eq!(review["available"], true);
    assert_eq!(review["events_in_window"], 34);
    let rules: Vec<&str> = review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"log.password-spray"), "{rules:?}");
    assert!(rules.contains(&"log.success-after-failures"), "{rules:?}");

    // The same year's programme before the closure: nothing after it can be due yet.
    let before = env.json(&[
        "holiday",
        &demo(),
        "--year",
        "2025",
        "--as-of",
        "2025-12-20",
        "--format",
        "json",
    ]);
    assert_eq!(before["log_review"]["available"], false);
    assert!(
        before["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["phase"] == "after")
            .all(|s| s["state"] == "not-yet")
    );

    // assess raises the open steps near the closure and after it, not in November.
    let site = demo_dir();
    let rules_on = |day: &str| -> Vec<String> {
        env.assess_rules(&site, day)
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    };
    assert!(rules_on("2026-12-20").contains(&"holiday.before-incomplete".to_owned()));
    assert!(rules_on("2027-01-15").contains(&"holiday.after-incomplete".to_owned()));
    let november = rules_on("2026-11-21");
    assert!(
        !november.iter().any(|r| r.starts_with("holiday.")),
        "{november:?}"
    );
}

#[test]
fn a_mistaken_checklist_toml_is_reported_by_line_and_the_rest_kept() {
    let env = Env::new();
    let site = env.dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    for f in ["site.toml", "vendors.csv"] {
        std::fs::copy(demo_dir().join(f), site.join(f)).unwrap();
    }
    std::fs::write(
        site.join("checklist.toml"),
        "[[answer]]\nfiscal_year = 2026\nitem = \"2-⑤\"\nanswer = \"はい\"\nchecked_on = 2026-06-15\n\n\
         [[answer]]\nfiscal_year = 2026\nitem = \"no-such-item\"\nanswer = \"はい\"\n\n\
         [[answer]]\nfiscal_year = 2026\nitem = \"ledger\"\nanswer = \"たぶん\"\n\n\
         [[answer]]\nfiscal_year = 2026\nitem = \"bcp\"\nanswer = \"はい\"\nchecked_on = 2026-06-15\nevidence = [\"evidence/none.pdf\"]\n\n\
         [[vendor]]\nvendor = \"V99\"\nfiscal_year = 2026\n",
    )
    .unwrap();
    let out = env.run(&[
        "checklist",
        site.to_str().unwrap(),
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "checklist.toml 7行目 [item] 「no-such-item」",
        "checklist.toml 12行目 [answer] 「たぶん」",
        "checklist.toml 17行目 [evidence] 「evidence/none.pdf」",
        "checklist.toml 24行目 [vendor] 「V99」",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // Each mistake is reported at the first line of its entry; the good answer, given by its
    // official number, is kept.
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = json["sheets"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "unneeded-accounts")
        .unwrap()
        .clone();
    assert_eq!(row["answer"]["ja"], "はい");
}

#[test]
fn html_reports_carry_the_checklist_escaped_and_self_contained() {
    let env = Env::new();
    let assess = env.dir.path().join("report.html");
    let run = env.run(&[
        "assess",
        &demo(),
        "--as-of",
        "2026-11-21",
        "--no-store",
        "--format",
        "html",
        "-o",
        assess.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&assess).unwrap();
    assert!(html.contains("<table class=\"checklist\">"));
    assert!(html.contains("（医療機関確認用）令和7年度版"));
    // The false はい are the shaded rows; the first names the leavers' rule.
    assert_eq!(html.matches("<tr class=\"flagged\">").count(), 2);
    let flagged = &html[html.find("<tr class=\"flagged\">").unwrap()..];
    let flagged = &flagged[..flagged.find("</tr>").unwrap()];
    assert!(
        flagged.contains("2-⑤?") && flagged.contains("退職者のアカウントが有効のまま"),
        "{flagged}"
    );

    let out = env.run(&[
        "checklist",
        &demo(),
        "--as-of",
        "2026-11-21",
        "--format",
        "html",
    ]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        page.matches("<section>").count(),
        7,
        "one section per sheet"
    );
    for external in ["<script", "src=\"http", "href=\"http"] {
        assert!(!page.contains(external), "not self-contained: {external}");
    }
}
