//! What happened to each input: read, skipped, or rejected with a reason.
//!
//! Parsers produce these; reports show them and the JSON output lists them, so a user can see
//! exactly which file, row and column was not understood.

use std::fmt::Write as _;

use serde::Serialize;

use crate::lang::{Lang, Localized};

/// A problem with an input: which file, row and column, what value, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// The file, relative to the site folder.
    pub file: String,
    /// The row or line (as an editor or Excel shows it), when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The header as written in the file, or the `site.toml` key.
    pub column: Option<String>,
    /// The value as written, so the user can find it.
    pub value: Option<String>,
    /// What is wrong and what to write instead.
    pub message: Localized,
}

impl InputError {
    /// A file that could not be read at all ([`io_message`]).
    pub fn io(file: &str, err: &std::io::Error) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            value: None,
            message: io_message(err),
        }
    }

    /// One line for people: `assets.csv 12行目 [最終パッチ適用日] 「2026/13/1」: 日付として読めません…`.
    pub fn describe(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            match lang {
                Lang::Ja => write!(s, " {line}行目").unwrap(),
                Lang::En => write!(s, " line {line}").unwrap(),
            }
        }
        if let Some(column) = &self.column {
            write!(s, " [{column}]").unwrap();
        }
        if let Some(value) = &self.value {
            match lang {
                Lang::Ja => write!(s, " 「{value}」").unwrap(),
                Lang::En => write!(s, " \"{value}\"").unwrap(),
            }
        }
        write!(s, ": {}", self.message.get(lang)).unwrap();
        s
    }
}

/// Why a file could not be read, with the OS's reason in Japanese for the common ones: the OS
/// speaks English, and the person reading the report need not.
pub fn io_message(err: &std::io::Error) -> Localized {
    use std::io::ErrorKind;
    let ja = match err.kind() {
        ErrorKind::NotFound => "読み込めません: ファイルがありません".to_owned(),
        ErrorKind::PermissionDenied => "読み込めません: 読む権限がありません。ファイルの権限か、ほかのプログラム（Excel など）が開いたままでないかを確かめてください".to_owned(),
        ErrorKind::IsADirectory => "読み込めません: ファイルではなくフォルダです".to_owned(),
        ErrorKind::InvalidData => "読み込めません: 中身が壊れているか、想定した形式ではありません".to_owned(),
        ErrorKind::UnexpectedEof => "読み込めません: ファイルが途中で切れています".to_owned(),
        _ => format!("読み込めません（{err}）"),
    };
    Localized::new(ja, format!("cannot read: {err}"))
}

/// What was read from one input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    /// The file, relative to the site folder.
    pub file: String,
    /// The table it was read as (`assets`, `accounts`…).
    pub table: &'static str,
    /// `UTF-8`, `UTF-8 (BOM)`, `CP932` or `XLSX`.
    pub encoding: &'static str,
    /// Rows read, including those kept with unreadable cells.
    pub rows_read: usize,
    /// Rows that could not be kept at all.
    pub rows_rejected: usize,
    /// Headers that matched no known column (kept out, listed so typos are noticed).
    pub ignored_columns: Vec<String>,
    /// What mamori did to read the file whole (rows numbered, blank cells filled from above).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Localized>,
}

/// An input that was not read, and why (unknown file, a part of mamori not built yet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedInput {
    /// The file, relative to the site folder.
    pub file: String,
    /// Why it was not read.
    pub reason: Localized,
}

/// A cell that said its value is not known (不明, ？, 業者管理…): the row is kept with the field
/// empty, and `ledger.unknown-value` asks for it to be confirmed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownValue {
    /// The field it would have filled (`internet_facing`, `last_patched`…).
    pub field: &'static str,
    /// The column's header as written in the file.
    pub column: String,
    /// What the cell said.
    pub value: String,
}

impl UnknownValue {
    /// 業者管理 and the like: the vendor is the one who knows.
    pub fn vendor_knows(&self) -> bool {
        self.value.contains("業者") || self.value.contains("ベンダー")
    }
}
