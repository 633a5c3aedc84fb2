//! `load_site` on real folders written to a temporary directory: encodings, XLSX, aliases,
//! and errors that name file, row, column and value.

use std::fs;
use std::path::Path;

use jiff::civil::date;
use mamori_ingest::load_site;
use mamori_model::Lang;
use mamori_model::site::{AssetKind, StaffStatus};

/// The evaluation day of these tests.
const AS_OF: jiff::civil::Date = date(2026, 11, 21);

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join(name), bytes).unwrap();
}

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors);
    bytes.into_owned()
}

#[test]
fn reads_cp932_csv_with_japanese_headers_and_era_dates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    write(
        dir.path(),
        "accounts.csv",
        cp932(
            "システム,ユーザID,氏名,職員番号,有効,管理者権限,最終ログオン,備考\r\n\
             電子カルテ,yamada,山田 太郎,E001,有効,×,令和8年4月1日,髙橋さんの後任\r\n\
             \r\n\
             AD,sato,佐藤 花子,E002,はい,○,2026/3/31,\r\n",
        ),
    );
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    let accounts = &load.site.accounts;
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].display_name, "山田 太郎");
    assert_eq!(accounts[0].last_logon, Some(date(2026, 4, 1)));
    assert_eq!(accounts[0].privileged, Some(false));
    assert_eq!(accounts[1].privileged, Some(true));
    // The blank line is skipped but row numbers stay those of the file.
    assert_eq!(accounts[1].origin.line, Some(4));
    let summary = &load.inputs[0];
    assert_eq!((summary.encoding, summary.rows_read), ("CP932", 2));
    assert_eq!(summary.ignored_columns, ["備考"]);
}

#[test]
fn reads_first_sheet_of_xlsx_with_title_row_and_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "機器台帳（2026年度）").unwrap();
    for (col, h) in [
        "管理番号",
        "機器名",
        "種別",
        "インターネット接続",
        "最終パッチ適用日",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *h).unwrap();
    }
    sheet.write_string(2, 0, "NW-001").unwrap();
    sheet.write_string(2, 1, "VPN装置").unwrap();
    sheet.write_string(2, 2, "VPN").unwrap();
    sheet.write_string(2, 3, "有").unwrap();
    let when = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, 1).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
    sheet.write_datetime_with_format(2, 4, &when, &fmt).unwrap();
    sheet.write_number(3, 0, 42.0).unwrap();
    sheet.write_string(3, 2, "サーバー").unwrap();
    book.save(dir.path().join("assets.xlsx")).unwrap();

    let load = load_site(dir.path(), AS_OF).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    let assets = &load.site.assets;
    assert_eq!(assets.len(), 2);
    assert_eq!(assets[0].kind, Some(AssetKind::Vpn));
    assert_eq!(assets[0].internet_facing, Some(true));
    assert_eq!(assets[0].last_patched, Some(date(2026, 10, 1)));
    assert_eq!(assets[0].origin.line, Some(3));
    assert_eq!(assets[1].id, "42");
    assert_eq!(load.inputs[0].encoding, "XLSX");
}

#[test]
fn every_bad_cell_is_reported_and_other_tables_still_load() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    write(
        dir.path(),
        "staff.csv",
        "employee_id,name,status,left_on\nE001,山田,退職,2026/13/1\nE002,佐藤,転勤,\nE003,鈴木,在職,\nE003,重複,在職,\nE004,田中,産休中,\n",
    );
    write(dir.path(), "vendors.csv", [0x82, 0xFF, 0xFF, b'\n']);
    write(dir.path(), "contacts.csv", "区分,電話番号\n警察,110\n");
    write(dir.path(), "notes.docx", "x");
    fs::create_dir(dir.path().join("logs")).unwrap();
    fs::create_dir(dir.path().join("configs")).unwrap();
    write(dir.path(), "configs/memo.txt", "設定のメモ");
    write(
        dir.path(),
        "configs/asa.cfg",
        "ASA Version 9.8(4)\nhostname asa1\nusername admin password secret privilege 15\n",
    );

    let load = load_site(dir.path(), AS_OF).unwrap();
    let described: Vec<String> = load
        .errors
        .iter()
        .filter(|e| e.file == "staff.csv")
        .map(|e| e.describe(Lang::Ja))
        .collect();
    assert_eq!(
        described,
        [
            "staff.csv 2行目 [left_on] 「2026/13/1」: 日付として読めません（例: 2026-04-01、2026/4/1、令和8年4月1日）",
            "staff.csv 3行目 [status] 「転勤」: 在籍状況として読めません（在職・退職、または 休職中・産休中・育休中・パート・非常勤・派遣 など在籍中の区分）",
            "staff.csv 5行目 [employee_id] 「E003」: 同じ値の行がすでにあります（重複）。この行は読み込んでいません",
        ]
    );
    // vendors.csv: its one line cannot be decoded, and so names no header either.
    assert_eq!(load.errors.len(), 5);
    let vendors: Vec<_> = load
        .errors
        .iter()
        .filter(|e| e.file == "vendors.csv")
        .map(|e| (e.line, e.message.en.split(' ').next().unwrap()))
        .collect();
    assert_eq!(vendors, [(Some(1), "this"), (Some(1), "no")]);
    // A cell that cannot be read leaves that field empty; the rest of the row stands. Only the
    // duplicate is left out.
    let staff: Vec<(&str, Option<StaffStatus>)> = load
        .site
        .staff
        .iter()
        .map(|s| (s.employee_id.as_str(), s.status))
        .collect();
    assert_eq!(
        staff,
        [
            ("E001", Some(StaffStatus::Left)),
            ("E002", None),
            ("E003", Some(StaffStatus::Active)),
            ("E004", Some(StaffStatus::Active)),
        ]
    );
    assert_eq!(load.site.staff[0].left_on, None);
    assert_eq!(load.site.contacts[0].role, "police");
    let skipped: Vec<&str> = load.skipped.iter().map(|s| s.file.as_str()).collect();
    // One bad file in configs/ does not stop the other; neither becomes an input error.
    assert_eq!(skipped, ["configs/memo.txt", "notes.docx"]);
    assert!(
        load.skipped[0]
            .reason
            .en
            .starts_with("not a FortiGate, Cisco ASA")
    );
    assert_eq!(load.site.gateways.len(), 1);
    assert_eq!(load.site.gateways[0].hostname, "asa1");
    assert!(
        load.inputs
            .iter()
            .any(|i| i.table == "configs" && i.file == "configs/asa.cfg")
    );
}

#[test]
fn missing_folder_or_site_toml_is_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_site(dir.path(), AS_OF).unwrap_err();
    assert_eq!(err[0].file, "site.toml");
    let err = load_site(&dir.path().join("nope"), AS_OF).unwrap_err();
    assert!(err[0].message.en.contains("does not exist"));
}

#[test]
fn broken_files_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    // A real workbook cut in half, as a failed copy from a USB stick leaves it.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-hospital");
    let xlsx = fs::read(demo.join("assets.xlsx")).unwrap();
    write(dir.path(), "assets.xlsx", &xlsx[..xlsx.len() / 2]);
    // Binary garbage under a CSV name.
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(dir.path(), "vendors.csv", &garbage);
    // A text file saved as .xlsx.
    write(dir.path(), "connections.xlsx", "id,vendor\nC1,V1\n");
    // A 1 MB cell and a short row are fine.
    let long = "あ".repeat(350_000);
    write(
        dir.path(),
        "contacts.csv",
        format!("role,name,phone\npolice,{long},110\nmhlw\n"),
    );

    let load = load_site(dir.path(), AS_OF).unwrap();
    let files: Vec<&str> = load.errors.iter().map(|e| e.file.as_str()).collect();
    assert!(files.contains(&"assets.xlsx"), "{files:?}");
    assert!(files.contains(&"vendors.csv"), "{files:?}");
    assert!(files.contains(&"connections.xlsx"), "{files:?}");
    assert!(
        load.errors
            .iter()
            .any(|e| e.message.ja.contains("Excel ファイルとして開けません"))
    );
    assert_eq!(load.site.contacts.len(), 2);
    assert_eq!(load.site.contacts[0].name.chars().count(), 350_000);
}

#[test]
fn dates_of_past_events_in_the_future_are_errors_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    write(
        dir.path(),
        "accounts.csv",
        "システム,ユーザID,有効,最終ログオン,パスワード変更日\n\
         電子カルテ,u1,有,9999-12-31,2026-01-01\n\
         電子カルテ,u2,有,令和99年1月1日,\n\
         電子カルテ,u3,有,2026-11-22,2099-01-01\n\
         電子カルテ,u4,有,2026-11-23,\n\
         電子カルテ,u5,有,平成40年1月1日,\n\
         電子カルテ,u6,有,2026-11-21,\n",
    );
    // The staff leaving date may lie ahead: it is planned, not recorded.
    write(
        dir.path(),
        "staff.csv",
        "職員番号,氏名,在籍,退職日\nE1,山田,在職,2027-03-31\n",
    );
    let load = load_site(dir.path(), AS_OF).unwrap();
    let errors: Vec<(u64, String, String)> = load
        .errors
        .iter()
        .map(|e| {
            (
                e.line.unwrap(),
                e.column.clone().unwrap(),
                e.value.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "最終ログオン".into(), "9999-12-31".into()),
            (3, "最終ログオン".into(), "令和99年1月1日".into()),
            (4, "パスワード変更日".into(), "2099-01-01".into()),
            (5, "最終ログオン".into(), "2026-11-23".into()),
            (6, "最終ログオン".into(), "平成40年1月1日".into()),
        ]
    );
    assert!(load.errors[0].message.ja.contains("未来の日付です"));
    assert!(
        load.errors[4].message.ja.contains("平成"),
        "{}",
        load.errors[4].message.ja
    );
    // Every row is kept, the date in the future left unknown (a day after the evaluation day
    // is within the tolerance; the evaluation day itself too).
    let kept: Vec<(&str, Option<jiff::civil::Date>)> = load
        .site
        .accounts
        .iter()
        .map(|a| (a.username.as_str(), a.last_logon))
        .collect();
    assert_eq!(
        kept,
        [
            ("u1", None),
            ("u2", None),
            ("u3", Some(date(2026, 11, 22))),
            ("u4", None),
            ("u5", None),
            ("u6", Some(date(2026, 11, 21))),
        ]
    );
    assert_eq!(load.site.accounts[2].password_last_set, None);
    assert_eq!(load.site.staff.len(), 1);
}

/// An XLSX written part by part, its first sheet's rows produced by `sheet`.
fn xlsx_with_sheet(sheet: impl FnOnce(&mut dyn std::io::Write)) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().large_file(true);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="assets" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    sheet(&mut zip);
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn inline_row(w: &mut dyn std::io::Write, row: usize, cells: &[&str]) {
    write!(w, "<row r=\"{row}\">").unwrap();
    for (i, c) in cells.iter().enumerate() {
        let col = (b'A' + i as u8) as char;
        write!(
            w,
            "<c r=\"{col}{row}\" t=\"inlineStr\"><is><t>{c}</t></is></c>"
        )
        .unwrap();
    }
    write!(w, "</row>").unwrap();
}

#[test]
fn huge_sheets_and_unpacking_bombs_end_in_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト病院\"\n");
    // 200,001 data rows: one over the limit.
    let rows = xlsx_with_sheet(|w| {
        inline_row(w, 1, &["id", "name"]);
        for r in 2..=200_002 {
            inline_row(w, r, &[&format!("PC-{r}"), "PC"]);
        }
    });
    write(dir.path(), "assets.xlsx", &rows);
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert_eq!(load.errors.len(), 1, "{:?}", load.errors);
    assert_eq!(load.errors[0].line, Some(200_001));
    assert!(load.errors[0].message.ja.contains("行が多すぎます"));
    // One cell of 300 MiB: refused from the zip's directory, before anything is unpacked.
    let bomb = xlsx_with_sheet(|w| {
        inline_row(w, 1, &["id"]);
        w.write_all(b"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>")
            .unwrap();
        let block = vec![b'A'; 1 << 20];
        for _ in 0..300 {
            w.write_all(&block).unwrap();
        }
        w.write_all(b"</t></is></c></row>").unwrap();
    });
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    write(dir.path(), "assets.xlsx", &bomb);
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert_eq!(load.errors.len(), 1);
    assert!(
        load.errors[0].message.en.contains("unpacks to 300 MiB"),
        "{:?}",
        load.errors
    );
}

#[test]
fn tables_are_found_by_their_japanese_names_and_two_files_for_one_table_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "site.toml",
        "name = \"みなと診療所\"\nkind = \"clinic\"\n",
    );
    write(
        dir.path(),
        "機器台帳.csv",
        cp932("管理番号,名称,種別\r\nPC-1,受付PC,pc\r\n"),
    );
    write(
        dir.path(),
        "職員名簿.csv",
        "職員番号,氏名,在籍\nE1,山田,在職\n",
    );
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    assert_eq!(load.site.assets.len(), 1);
    assert_eq!(load.site.staff.len(), 1);
    let files: Vec<&str> = load.inputs.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(files, ["機器台帳.csv", "職員名簿.csv"]);
    assert!(load.skipped.is_empty(), "{:?}", load.skipped);

    write(dir.path(), "assets.csv", "id,name\nPC-2,診察室PC\n");
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert_eq!(load.errors.len(), 1);
    assert_eq!(load.errors[0].file, "assets.csv, 機器台帳.csv");
    assert!(load.site.assets.is_empty(), "neither file is guessed at");
}

/// A system name merged over its accounts' rows in Excel: every account gets it, and the
/// inputs summary says so (issue 14: no 「」 accounts).
#[test]
fn merged_cells_give_their_value_to_every_row_they_cover() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", "name = \"テスト診療所\"\n");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in ["システム", "ユーザー名", "有効"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    let plain = rust_xlsxwriter::Format::new();
    sheet.merge_range(1, 0, 3, 0, "電子カルテ", &plain).unwrap();
    for (row, user) in [(1, "user"), (2, "suzuki"), (3, "tanaka")] {
        sheet.write_string(row, 1, user).unwrap();
        sheet.write_string(row, 2, "有").unwrap();
    }
    sheet.write_string(4, 0, "受付PC").unwrap();
    sheet.write_string(4, 1, "Administrator").unwrap();
    book.save(dir.path().join("アカウント台帳.xlsx")).unwrap();

    let load = load_site(dir.path(), AS_OF).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    let keys: Vec<String> = load.site.accounts.iter().map(|a| a.key()).collect();
    assert_eq!(
        keys,
        [
            "電子カルテ/user",
            "電子カルテ/suzuki",
            "電子カルテ/tanaka",
            "受付PC/administrator"
        ]
    );
    assert!(
        load.inputs[0].notes[0].ja.contains("結合されたセル 2 個"),
        "{:?}",
        load.inputs[0].notes
    );
}

/// A table under the site's own name (site.toml `[files]`) is read; a file with the usual
/// name for the same table is then listed as not read, never silently dropped.
#[test]
fn tables_named_in_site_toml_are_read_and_the_others_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "site.toml",
        "name = \"テスト診療所\"\n[files]\nassets = \"うちの機器2026.csv\"\n",
    );
    write(
        dir.path(),
        "うちの機器2026.csv",
        "機器名,種別\n受付PC,端末\n",
    );
    write(dir.path(), "機器台帳.csv", "機器名,種別\n古いPC,端末\n");
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    let names: Vec<&str> = load.site.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["受付PC"]);
    assert_eq!(load.site.assets[0].id, "#2");
    let skipped: Vec<&str> = load.skipped.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(skipped, ["機器台帳.csv"]);

    // A name that is not there, or not a plain file name, is an error naming the key.
    write(
        dir.path(),
        "site.toml",
        "name = \"テスト診療所\"\n[files]\nassets = \"ない.csv\"\n",
    );
    let load = load_site(dir.path(), AS_OF).unwrap();
    assert_eq!(load.errors[0].column.as_deref(), Some("files.assets"));
    write(
        dir.path(),
        "site.toml",
        "name = \"テスト診療所\"\n[files]\nassets = \"../機器.csv\"\n",
    );
    let err = load_site(dir.path(), AS_OF).unwrap_err();
    assert_eq!(err[0].column.as_deref(), Some("files.assets"));
    assert_eq!(err[0].line, Some(3));
}
