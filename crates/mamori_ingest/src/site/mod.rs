//! The site folder: `site.toml` plus the ledgers `assets`, `vendors`, `connections`, `accounts`,
//! `staff` and `contacts`, each as `NAME.csv` or `NAME.xlsx`. The format is documented in
//! `docs/site-format.md`.
//!
//! [`load_site`] reads everything it can. A bad row is reported (file, row, column, value) and
//! left out; a bad file is reported and the other files are still read. Only a missing folder or
//! an unreadable `site.toml` stops the load, because nothing can be said about an unknown site.

pub mod answers;
mod backup_records;
mod columns;
mod config;
mod gateways;
mod records;
mod row;
mod scans;
// A table fails at most once per file, so a large error value costs nothing worth boxing.
#[allow(clippy::result_large_err)]
mod table;

use std::collections::HashSet;
use std::path::Path;

use mamori_model::Localized;
use mamori_model::input::{InputError, InputSummary, SkippedInput};
use mamori_model::site::{Site, SiteConfig};

pub use columns::normalize_header;
pub use config::parse_site_toml;
pub use gateways::link_gateways;
pub use scans::SCANS_DIR;

use columns::{Column, resolve};
use row::{ColumnIndex, Row};
use table::{RawTable, into_table, read_csv, read_xlsx};

/// The site folder's subfolders (docs/site-format.md). `mamori_app::SiteFolder` is the API
/// that hands them out; these names are written nowhere else.
pub const LOGS_DIR: &str = "logs";
/// Gateway configuration backups.
pub const CONFIGS_DIR: &str = "configs";
/// Vulnerability data kept with the site.
pub const FEEDS_DIR: &str = "feeds";
/// Files that checklist answers point to.
pub const EVIDENCE_DIR: &str = "evidence";

/// The outcome of reading a site folder.
#[derive(Debug, Default)]
pub struct SiteLoad {
    /// The evaluation day the tables were read against (dates of past events after it are
    /// errors); `None` reads without that check (the fuzz targets).
    pub as_of: Option<jiff::civil::Date>,
    /// The site as read: what the rows that could be read say.
    pub site: Site,
    /// Each file read, with its encoding and row counts.
    pub inputs: Vec<InputSummary>,
    /// Files and folders not read, with the reason.
    pub skipped: Vec<SkippedInput>,
    /// Every bad row, cell or file: a run with any is not recorded.
    pub errors: Vec<InputError>,
}

struct TableSpec<T> {
    name: &'static str,
    columns: &'static [Column],
    key_column: &'static str,
    /// A row without a key (no such column, or an empty cell) is numbered (`#12`) instead of
    /// refused: a clinic's list of three PCs has no 管理番号.
    rows_as_keys: bool,
    convert: fn(&mut Row) -> T,
    /// Rows with the same key are an error: an id must name one thing.
    key: fn(&T) -> String,
    /// Grouping columns whose blank cells take the value above (see [`fill_down`]).
    fill_down: &'static [&'static str],
}

/// The folder's `site.toml` alone (what a command needs before reading the tables, such as
/// where `mamori watch` listens). `Err` when the folder or the file cannot be used.
pub fn read_site_config(dir: &Path) -> Result<SiteConfig, Vec<InputError>> {
    let dir_name = dir.display().to_string();
    if !dir.is_dir() {
        return Err(vec![InputError {
            file: dir_name,
            line: None,
            column: None,
            value: None,
            message: Localized::new(
                "サイトフォルダが見つかりません",
                "the site folder does not exist",
            ),
        }]);
    }
    let toml_path = dir.join("site.toml");
    let text = crate::files::read_limited(&toml_path).map_err(|e| {
        let mut err = InputError::io("site.toml", &e);
        if e.kind() == std::io::ErrorKind::NotFound {
            err.message = Localized::new(
                "site.toml がありません。施設名などを書いた site.toml をサイトフォルダに置いてください（docs/site-format.md）",
                "site.toml is missing: put one with the institution's name in the site folder (docs/site-format.md)",
            );
        }
        vec![err]
    })?;
    let decoded = crate::decode::decode_lines(&text);
    if !decoded.undecodable.is_empty() {
        return Err(undecodable("site.toml", &decoded.undecodable));
    }
    let text = decoded.text.into_owned();
    parse_site_toml(&text, "site.toml")
}

/// Reads a site folder. Dates of past events later than `as_of` (plus a day) are errors: give
/// the later of today and the evaluation day, so that evaluating a past day (`--as-of`) does
/// not turn entries made since into mistakes. `Err` only when the folder or its `site.toml`
/// cannot be used at all.
pub fn load_site(dir: &Path, as_of: jiff::civil::Date) -> Result<SiteLoad, Vec<InputError>> {
    let config = read_site_config(dir)?;

    let mut load = SiteLoad {
        as_of: Some(as_of),
        ..SiteLoad::default()
    };
    load.site.config = config;
    for table in TABLE_NAMES {
        load_table_file(dir, &mut load, table);
    }
    gateways::load_gateways(dir, &mut load);
    scans::load_scans(dir, &mut load);
    load_answers(dir, &mut load);
    note_other_entries(dir, &mut load);
    Ok(load)
}

/// One error per line of `file` that neither UTF-8 nor CP932 can read (tables and answers
/// are read on with `�` in their place; `site.toml` is not).
fn undecodable(file: &str, lines: &[u64]) -> Vec<InputError> {
    lines
        .iter()
        .map(|&line| InputError {
            file: file.to_owned(),
            line: Some(line),
            column: None,
            value: None,
            message: Localized::new(
                "この行の文字を読めません（UTF-8 でも CP932/Shift_JIS でもありません）。文字コードを確かめて保存し直してください",
                "this line cannot be decoded (neither UTF-8 nor CP932/Shift_JIS): save the file again in one encoding",
            ),
        })
        .collect()
}

/// `checklist.toml` and `holiday.toml`, when present. Read after the tables: vendor ids in the
/// checklist must name rows of the vendors table.
fn load_answers(dir: &Path, load: &mut SiteLoad) {
    let read = |load: &mut SiteLoad, name: &str| -> Option<(String, &'static str)> {
        let bytes = match crate::files::read_limited(&dir.join(name)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                load.errors.push(InputError::io(name, &e));
                return None;
            }
        };
        // Read on with `�` for what cannot be decoded: the entries on other lines still count.
        let decoded = crate::decode::decode_lines(&bytes);
        load.errors.extend(undecodable(name, &decoded.undecodable));
        Some((decoded.text.into_owned(), decoded.encoding))
    };
    if let Some((text, encoding)) = read(load, answers::CHECKLIST_FILE) {
        let ids: Vec<&str> = load.site.vendors.iter().map(|v| v.id.as_str()).collect();
        let (answers, errors) = answers::parse_checklist(&text, dir, &ids);
        let read = answers.institution.len()
            + answers.bcp.len()
            + answers
                .vendors
                .iter()
                .map(|v| 1 + v.answers.len())
                .sum::<usize>();
        load.inputs.push(InputSummary {
            file: answers::CHECKLIST_FILE.to_owned(),
            table: "checklist",
            encoding,
            rows_read: read,
            rows_rejected: errors.len(),
            ignored_columns: Vec::new(),
            notes: Vec::new(),
        });
        load.errors.extend(errors);
        load.site.checklist = answers;
    }
    if let Some((text, encoding)) = read(load, answers::HOLIDAY_FILE) {
        let (record, errors) = answers::parse_holiday(&text, dir);
        load.inputs.push(InputSummary {
            file: answers::HOLIDAY_FILE.to_owned(),
            table: "holiday",
            encoding,
            rows_read: record.steps.len() + record.taken_out.len(),
            rows_rejected: errors.len(),
            ignored_columns: Vec::new(),
            notes: Vec::new(),
        });
        load.errors.extend(errors);
        load.site.holiday = record;
    }
}

const ASSETS: TableSpec<mamori_model::site::Asset> = TableSpec {
    name: "assets",
    fill_down: &[],
    rows_as_keys: true,
    columns: columns::ASSETS,
    key_column: "id",
    convert: records::asset,
    key: |a| a.id.clone(),
};
const VENDORS: TableSpec<mamori_model::site::Vendor> = TableSpec {
    name: "vendors",
    fill_down: &[],
    rows_as_keys: true,
    columns: columns::VENDORS,
    key_column: "id",
    convert: records::vendor,
    key: |v| v.id.clone(),
};
const CONNECTIONS: TableSpec<mamori_model::site::Connection> = TableSpec {
    name: "connections",
    fill_down: &[],
    rows_as_keys: true,
    columns: columns::CONNECTIONS,
    key_column: "id",
    convert: records::connection,
    key: |c| c.id.clone(),
};
const ACCOUNTS: TableSpec<mamori_model::site::Account> = TableSpec {
    name: "accounts",
    fill_down: &["system"],
    rows_as_keys: false,
    columns: columns::ACCOUNTS,
    key_column: "username",
    convert: records::account,
    key: |a| a.key(),
};
const STAFF: TableSpec<mamori_model::site::Staff> = TableSpec {
    name: "staff",
    fill_down: &[],
    rows_as_keys: true,
    columns: columns::STAFF,
    key_column: "employee_id",
    convert: records::staff,
    key: |s| s.employee_id.clone(),
};
const CONTACTS: TableSpec<mamori_model::site::Contact> = TableSpec {
    name: "contacts",
    fill_down: &["role"],
    rows_as_keys: false,
    columns: columns::CONTACTS,
    key_column: "role",
    convert: records::contact,
    // Several contacts may share a role; a phone number is what must not be listed twice.
    key: |c| format!("{}\u{0}{}\u{0}{}", c.role, c.name, c.phone),
};

const BACKUPS: TableSpec<mamori_model::backup::BackupJob> = TableSpec {
    name: "backups",
    fill_down: &["system"],
    rows_as_keys: false,
    columns: columns::BACKUPS,
    key_column: "system",
    convert: backup_records::backup,
    // One system may have several jobs (daily to the NAS, weekly to tape).
    key: |b| format!("{}\u{0}{}\u{0}{}", b.system, b.data, b.destination),
};
const RESTORE_DRILLS: TableSpec<mamori_model::backup::RestoreDrill> = TableSpec {
    name: "restore-drills",
    fill_down: &[],
    rows_as_keys: false,
    columns: columns::RESTORE_DRILLS,
    key_column: "system",
    convert: backup_records::restore_drill,
    key: |d| format!("{:?}\u{0}{}\u{0}{}", d.date, d.system, d.restored),
};
const BCP: TableSpec<mamori_model::backup::BcpPlan> = TableSpec {
    name: "bcp",
    fill_down: &[],
    rows_as_keys: false,
    columns: columns::BCP,
    key_column: "system",
    convert: backup_records::bcp,
    key: |p| p.system.clone(),
};

/// The site tables, each read from `NAME.csv` or `NAME.xlsx`.
pub const TABLE_NAMES: [&str; 9] = [
    "assets",
    "vendors",
    "connections",
    "accounts",
    "staff",
    "contacts",
    "backups",
    "restore-drills",
    "bcp",
];

/// Finds `NAME.csv` or `NAME.xlsx` in the folder and reads it into `load`.
/// The names a table's file may have: the English name, and what Japanese offices call it
/// (機器台帳.xlsx, 職員名簿.csv …), each as `.csv` or `.xlsx`.
pub fn file_stems(table: &str) -> &'static [&'static str] {
    match table {
        "assets" => &["assets", "機器台帳", "機器一覧"],
        "vendors" => &["vendors", "事業者一覧", "委託先一覧"],
        "connections" => &["connections", "接続点一覧", "外部接続一覧"],
        "accounts" => &[
            "accounts",
            "アカウント台帳",
            "アカウント一覧",
            "ユーザー一覧",
        ],
        "staff" => &["staff", "職員名簿", "職員一覧"],
        "contacts" => &["contacts", "緊急連絡先", "連絡先一覧"],
        "backups" => &["backups", "バックアップ台帳", "バックアップ一覧"],
        "restore-drills" => &["restore-drills", "復元訓練記録", "リストア訓練記録"],
        "bcp" => &["bcp", "BCP一覧", "事業継続計画"],
        _ => &[],
    }
}

/// Finds the table's file in the folder (any of its names, `.csv` or `.xlsx`) and reads it into
/// `load`. Two files for one table are an error: which one holds the truth is not mamori's to
/// guess.
fn load_table_file(dir: &Path, load: &mut SiteLoad, table: &str) {
    let mapped = load.site.config.table_files.get(table).cloned();
    let found: Vec<String> = match &mapped {
        // Named in site.toml: that file, and only that one.
        Some(name) => vec![name.clone()],
        None => file_stems(table)
            .iter()
            .flat_map(|stem| [format!("{stem}.csv"), format!("{stem}.xlsx")])
            .filter(|name| dir.join(name).is_file())
            .collect(),
    };
    if let Some(name) = &mapped
        && !dir.join(name).is_file()
    {
        load.errors.push(InputError {
            file: name.clone(),
            line: None,
            column: Some(format!("files.{table}")),
            value: None,
            message: Localized::new(
                "site.toml の [files] に書かれたファイルがサイトフォルダにありません。ファイル名を確かめてください",
                "the file named in site.toml [files] is not in the site folder: check its name",
            ),
        });
        return;
    }
    let file = match found.as_slice() {
        [] => return, // every table is optional
        [one] => one.clone(),
        several => {
            load.errors.push(InputError {
                file: several.join(", "),
                line: None,
                column: None,
                value: None,
                message: Localized::new(
                    "同じ表のファイルが複数あります（CSV と Excel、または別の名前）。どれか一つにしてください",
                    "the same table is in several files (CSV and XLSX, or another name): keep only one",
                ),
            });
            return;
        }
    };
    if let Some(why) = crate::files::refuse(&dir.join(&file), dir) {
        load.errors.push(InputError {
            file,
            line: None,
            column: None,
            value: None,
            message: why,
        });
        return;
    }
    match crate::files::read_limited(&dir.join(&file)) {
        Ok(bytes) => add_table(load, table, &file, &bytes),
        Err(e) => load.errors.push(InputError::io(&file, &e)),
    }
}

/// Reads one site table (`assets`, `vendors`, …) from the bytes of `file` — CSV, or XLSX when
/// the name ends in `.xlsx` — into `load`, replacing that table's records. This is the entry
/// point of the fuzz targets; [`load_site`] calls it for every table file it finds.
pub fn add_table(load: &mut SiteLoad, table: &str, file: &str, bytes: &[u8]) {
    match table {
        "assets" => load.site.assets = parse_table(load, ASSETS, file, bytes),
        "vendors" => load.site.vendors = parse_table(load, VENDORS, file, bytes),
        "connections" => load.site.connections = parse_table(load, CONNECTIONS, file, bytes),
        "accounts" => load.site.accounts = parse_table(load, ACCOUNTS, file, bytes),
        "staff" => load.site.staff = parse_table(load, STAFF, file, bytes),
        "contacts" => load.site.contacts = parse_table(load, CONTACTS, file, bytes),
        "backups" => load.site.backups = parse_table(load, BACKUPS, file, bytes),
        "restore-drills" => {
            load.site.restore_drills = parse_table(load, RESTORE_DRILLS, file, bytes);
        }
        "bcp" => load.site.bcp = parse_table(load, BCP, file, bytes),
        other => load.skipped.push(SkippedInput {
            file: file.to_owned(),
            reason: Localized::new(
                format!("「{other}」という表はありません"),
                format!("there is no table named {other}"),
            ),
        }),
    }
}

#[allow(clippy::result_large_err)]
fn parse_table<T>(load: &mut SiteLoad, spec: TableSpec<T>, file: &str, bytes: &[u8]) -> Vec<T> {
    let mut merged_filled = 0;
    let raw = if file.ends_with(".xlsx") {
        read_xlsx(bytes, file).map(|read| {
            merged_filled = read.merged_filled;
            (read.rows, "XLSX")
        })
    } else {
        read_csv(bytes, file).map(|read| {
            load.errors.extend(read.errors);
            (read.rows, read.encoding)
        })
    };
    let mut table = match raw.and_then(|(rows, enc)| {
        into_table(
            file,
            enc,
            rows,
            spec.columns,
            spec.key_column,
            spec.rows_as_keys,
        )
    }) {
        Ok(table) => table,
        Err(e) => {
            load.errors.push(e);
            return Vec::new();
        }
    };
    let (index, ignored_columns) = index_columns(&table, spec.columns);
    let filled_down = fill_down(&mut table, &index, spec.fill_down);

    let mut records = Vec::with_capacity(table.rows.len());
    let mut seen = HashSet::new();
    let (mut rejected, mut numbered) = (0, 0);
    for raw_row in &table.rows {
        let mut row = Row::new(&table, &index, raw_row, load.as_of);
        let record = (spec.convert)(&mut row);
        numbered += usize::from(row.numbered);
        let mut errors = std::mem::take(&mut row.errors);
        let key = (spec.key)(&record);
        // A row is refused only when it cannot be told apart from others: no key (an account
        // without a login name), or the key of an earlier row. A cell that cannot be read is
        // reported and left empty; the rest of the row stands.
        let keyless = row.missing_required;
        if !keyless && !seen.insert(key.clone()) {
            errors.push(InputError {
                file: table.file.clone(),
                line: Some(raw_row.line),
                column: Some(spec.key_column.to_owned()),
                value: Some(key.replace('\u{0}', " / ")),
                message: Localized::new(
                    "同じ値の行がすでにあります（重複）。この行は読み込んでいません",
                    "duplicates an earlier row; this row was not read",
                ),
            });
            rejected += 1;
        } else if keyless {
            rejected += 1;
        } else {
            records.push(record);
        }
        load.errors.extend(errors);
    }
    let mut notes = Vec::new();
    if merged_filled > 0 {
        notes.push(Localized::new(
            format!("結合されたセル {merged_filled} 個に、結合元の値を入れて読みました"),
            format!("{merged_filled} cells of merged regions were read with the region's value"),
        ));
    }
    for (column, n) in filled_down {
        let header = index
            .get(column)
            .and_then(|&i| table.headers.get(i))
            .map_or(column, String::as_str);
        notes.push(Localized::new(
            format!("「{header}」の空欄 {n} 個は、すぐ上の行と同じ値として読みました"),
            format!("{n} blank cells of {header} were read as the value of the row above"),
        ));
    }
    if numbered > 0 {
        notes.push(Localized::new(
            format!("番号のない行が {numbered} 行あり、行番号（#行）で区別しています"),
            format!("{numbered} rows have no id; they are told apart by their row number (#row)"),
        ));
    }
    load.inputs.push(InputSummary {
        file: table.file.clone(),
        table: spec.name,
        encoding: table.encoding,
        rows_read: records.len(),
        rows_rejected: rejected,
        ignored_columns,
        notes,
    });
    records
}

/// Blank cells of a grouping column (the system of a run of accounts, the department of a run
/// of staff) take the value above: people leave them blank under the first, as if merged.
/// Returns how many cells each column got.
fn fill_down(
    table: &mut RawTable,
    index: &ColumnIndex,
    columns: &[&'static str],
) -> Vec<(&'static str, usize)> {
    let mut counts = Vec::new();
    for &column in columns {
        let Some(&i) = index.get(column) else {
            continue;
        };
        let (mut above, mut n) = (None::<String>, 0);
        for row in &mut table.rows {
            match row.cells.get(i).map(|c| c.trim()) {
                Some(value) if !value.is_empty() => above = Some(value.to_owned()),
                _ => {
                    if let Some(value) = &above {
                        if row.cells.len() <= i {
                            row.cells.resize(i + 1, String::new());
                        }
                        row.cells[i] = value.clone();
                        n += 1;
                    }
                }
            }
        }
        if n > 0 {
            counts.push((column, n));
        }
    }
    counts
}

fn index_columns(table: &RawTable, columns: &[Column]) -> (ColumnIndex, Vec<String>) {
    let mut index = ColumnIndex::new();
    let mut ignored = Vec::new();
    for (i, header) in table.headers.iter().enumerate() {
        match resolve(columns, header) {
            // The first column of a name wins; a second one is listed as ignored.
            Some(name) if !index.contains_key(name) => {
                index.insert(name, i);
            }
            _ if !header.trim().is_empty() => ignored.push(header.trim().to_owned()),
            _ => {}
        }
    }
    (index, ignored)
}

/// Lists what else is in the folder, so nothing is silently ignored.
fn note_other_entries(dir: &Path, load: &mut SiteLoad) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.file_name().to_string_lossy().into_owned(), is_dir)
        })
        .collect();
    names.sort();
    for (name, is_dir) in names {
        // Hidden files and Excel's lock files (~$assets.xlsx) are noise, not input.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let mapped = &load.site.config.table_files;
        let table_of_name = TABLE_NAMES
            .iter()
            .find(|t| file_stems(t).contains(&stem))
            .filter(|_| !is_dir && (name.ends_with(".csv") || name.ends_with(".xlsx")));
        if let Some(table) = table_of_name
            && mapped.get(*table).is_some_and(|f| *f != name)
        {
            load.skipped.push(SkippedInput {
                file: name.clone(),
                reason: Localized::new(
                    "site.toml の [files] でこの表に別のファイルを指定しているため、読んでいません",
                    "not read: site.toml [files] names another file for this table",
                ),
            });
            continue;
        }
        let known_table = table_of_name.is_some() || !is_dir && mapped.values().any(|f| *f == name);
        // logs/ is read by the log-hunting engine, which `assess` runs itself; configs/ by
        // `gateways`; scans/ by `scans`; feeds/ by the vulnerability matching in `assess`.
        let handled_elsewhere = is_dir
            && (name == LOGS_DIR || name == CONFIGS_DIR || name == SCANS_DIR || name == FEEDS_DIR);
        // evidence/ holds the files that checklist answers point to.
        let answers = !is_dir && (name == answers::CHECKLIST_FILE || name == answers::HOLIDAY_FILE)
            || is_dir && name == EVIDENCE_DIR;
        if known_table
            || handled_elsewhere
            || answers
            || name == "site.toml"
            || name.starts_with("README")
        {
            continue;
        }
        let reason = Localized::new(
            "mamori が知らないファイルのため読み込んでいません（表の名前は 機器台帳・事業者一覧・接続点一覧・アカウント台帳・職員名簿・緊急連絡先・バックアップ台帳・復元訓練記録・BCP一覧 など、.csv か .xlsx。別の名前なら site.toml の [files] に書きます。docs/site-format.md）",
            "not a file mamori knows: tables are assets/vendors/connections/accounts/staff/contacts/backups/restore-drills/bcp (or their Japanese names) as .csv or .xlsx, or named in site.toml [files]; see docs/site-format.md",
        );
        let file = if is_dir { format!("{name}/") } else { name };
        load.skipped.push(SkippedInput { file, reason });
    }
}
