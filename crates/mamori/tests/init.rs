//! `mamori init`: the folder a clinic starts from. Its workbooks are read back by mamori's own
//! reader (every header known, nothing an error), `assess` on it says what to fill in first,
//! and a row written into a template is assessed.

mod support;

use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;
use support::Env;

fn init(env: &Env) -> std::path::PathBuf {
    let dir = env.dir.path().join("クリニック");
    let out = env.run(&[
        "init",
        dir.to_str().unwrap(),
        "--kind",
        "clinic",
        "--name",
        "みどり内科クリニック",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("接続点一覧.xlsx"), "{said}");
    dir
}

fn assess(env: &Env, dir: &std::path::Path) -> Value {
    let (json, out) = env.assess_json(dir, &["--no-store"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json
}

#[test]
fn a_new_folder_reads_back_and_says_what_to_write_first() {
    let env = Env::new();
    let dir = init(&env);
    // Written again: refused, nothing overwritten.
    let again = env.run(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("すでにファイルがあります"));

    // Each workbook: the table's sheet first, then how to fill it in.
    for name in [
        "機器台帳.xlsx",
        "事業者一覧.xlsx",
        "接続点一覧.xlsx",
        "アカウント台帳.xlsx",
        "職員名簿.xlsx",
        "緊急連絡先.xlsx",
        "バックアップ台帳.xlsx",
        "復元訓練記録.xlsx",
        "BCP一覧.xlsx",
    ] {
        let book: Xlsx<_> = open_workbook(dir.join(name)).unwrap();
        assert_eq!(
            book.sheet_names(),
            [name.trim_end_matches(".xlsx"), "記入のしかた"]
        );
    }

    let json = assess(&env, &dir);
    assert_eq!(json["site"]["name"], "みどり内科クリニック");
    assert_eq!(json["errors"], serde_json::json!([]));
    for input in json["inputs"].as_array().unwrap() {
        assert_eq!(
            input["ignored_columns"],
            serde_json::json!([]),
            "every template header is one mamori reads: {input}"
        );
    }
    let tables: Vec<&str> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["table"].as_str().unwrap())
        .collect();
    for table in [
        "assets",
        "vendors",
        "connections",
        "accounts",
        "staff",
        "contacts",
        "checklist",
    ] {
        assert!(tables.contains(&table), "{table} read: {tables:?}");
    }
    // The blank checklist entries are one thing to do, not one finding per item.
    let unanswered: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "checklist.unanswered")
        .collect();
    assert_eq!(unanswered.len(), 1);
    assert_eq!(unanswered[0]["subject"]["key"], "institution");
    let first = &json["this_week"][0];
    assert!(
        first["title"]["ja"]
            .as_str()
            .unwrap()
            .starts_with("接続点一覧・機器台帳・アカウント台帳を書く"),
        "{first}"
    );
}

#[test]
fn a_row_written_into_the_template_is_assessed() {
    let env = Env::new();
    let dir = init(&env);
    // Fill one row under the template's own headers, as Excel would save it.
    let path = dir.join("機器台帳.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let headers: Vec<String> = book
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    drop(book);
    let value = |header: &str| match header {
        "管理番号" => "A1",
        "機器名" => "VPNルーター",
        "種別" => "VPN装置",
        "インターネット接続" => "はい",
        "最終パッチ適用日" => "2025/4/1",
        _ => "",
    };
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    for (col, h) in headers.iter().enumerate() {
        ws.write_string(0, col as u16, h).unwrap();
        ws.write_string(1, col as u16, value(h)).unwrap();
    }
    out.save(&path).unwrap();

    let json = assess(&env, &dir);
    let stale: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "asset.patch-stale")
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["subject"]["key"], "A1");
    // The ledger is no longer among those still to write.
    let first = json["this_week"][0]["title"]["ja"].as_str().unwrap();
    assert!(
        first.starts_with("接続点一覧・アカウント台帳を書く"),
        "{first}"
    );
}
