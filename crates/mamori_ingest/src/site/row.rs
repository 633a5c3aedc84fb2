//! Reading typed values out of one table row, collecting every error of the row.

use std::collections::HashMap;

use jiff::civil::Date;
use mamori_model::{Localized, SourceRef};

use super::table::{RawRow, RawTable};
use crate::value::{DateError, normalize, parse_bool, read_date};
use mamori_model::input::InputError;
use mamori_model::site::UnknownValue;

/// Which cell index holds each canonical column.
pub type ColumnIndex = HashMap<&'static str, usize>;

pub struct Row<'a> {
    table: &'a RawTable,
    index: &'a ColumnIndex,
    row: &'a RawRow,
    /// The last day a recorded event can have happened (see `load_site`).
    as_of: Option<Date>,
    pub errors: Vec<InputError>,
    /// Cells that say their value is not known (不明, ？, 業者管理…), kept on the record.
    unknown: Vec<UnknownValue>,
    /// The row's key was made from its row number (see [`Row::key_or_row`]).
    pub numbered: bool,
    /// A value the row cannot be kept without was empty (see [`Row::required`]).
    pub missing_required: bool,
}

/// What people write in a cell when they do not know: the row is kept, the field left unknown,
/// and a finding asks for it to be confirmed. 業者管理 ("the vendor manages it") means the
/// vendor is the one to ask.
pub fn means_unknown(text: &str) -> bool {
    matches!(
        normalize(text).to_lowercase().as_str(),
        "不明"
            | "わからない"
            | "分からない"
            | "わかりません"
            | "分かりません"
            | "不詳"
            | "?"
            | "??"
            | "要確認"
            | "確認中"
            | "未確認"
            | "業者管理"
            | "業者に確認"
            | "ベンダー管理"
            | "保守業者管理"
            | "unknown"
    )
}

/// Days a past event's date may lie after the evaluation day (a ledger updated the morning
/// after, a clock a day ahead) before it is taken for a typing mistake.
pub const FUTURE_TOLERANCE_DAYS: i32 = 1;

impl<'a> Row<'a> {
    pub fn new(
        table: &'a RawTable,
        index: &'a ColumnIndex,
        row: &'a RawRow,
        as_of: Option<Date>,
    ) -> Self {
        Self {
            table,
            index,
            row,
            as_of,
            errors: Vec::new(),
            unknown: Vec::new(),
            numbered: false,
            missing_required: false,
        }
    }

    /// The cells of this row that said "unknown", for the record.
    pub fn take_unknown(&mut self) -> Vec<UnknownValue> {
        std::mem::take(&mut self.unknown)
    }

    /// Whether `column`'s cell means "unknown"; if so it is noted for the record.
    fn note_unknown(&mut self, column: &'static str) -> bool {
        let text = self.text(column);
        if !means_unknown(&text) {
            return false;
        }
        let header = self.header_of(column);
        self.unknown.push(UnknownValue {
            field: column,
            column: header,
            value: text,
        });
        true
    }

    /// An id (管理番号, 職員番号) that may be missing: the row's number (`#12`) stands in for
    /// it, so that the row is kept; [`Row::numbered`] says so.
    pub fn key_or_row(&mut self, column: &str) -> String {
        let value = normalize(&self.text(column));
        if !value.is_empty() && !means_unknown(&value) {
            return value;
        }
        self.numbered = true;
        format!("#{}", self.row.line)
    }

    pub fn origin(&self) -> SourceRef {
        SourceRef::row(&self.table.file, self.row.line)
    }

    fn raw(&self, column: &str) -> Option<(&'a str, usize)> {
        let &idx = self.index.get(column)?;
        let cell = self.row.cells.get(idx)?;
        Some((cell.as_str(), idx))
    }

    /// The cell's text as written, trimmed; empty when the column or cell is absent.
    pub fn text(&self, column: &str) -> String {
        self.raw(column)
            .map(|(s, _)| s.trim_matches(|c: char| c.is_whitespace()).to_owned())
            .unwrap_or_default()
    }

    /// An identifier (管理番号, ユーザID…): full-width letters and digits folded so that
    /// `ＰＣ－００１` and `PC-001` are the same id. An empty value is an error.
    pub fn required(&mut self, column: &str) -> String {
        let value = normalize(&self.text(column));
        if value.is_empty() {
            self.missing_required = true;
            self.error(
                column,
                "",
                Localized::new(
                    "必ず書く値が空です。この行は読み込んでいません",
                    "a required value is empty; this row was not read",
                ),
            );
        }
        value
    }

    pub fn bool(&mut self, column: &'static str) -> Option<bool> {
        self.parse(column, parse_bool, || {
            Localized::new(
                "はい/いいえ として読めません（はい・いいえ、有・無、○・×、yes・no、1・0 のいずれか）",
                "not a yes/no value (yes/no, true/false, 1/0, はい/いいえ, 有/無, ○/×)",
            )
        })
    }

    pub fn date(&mut self, column: &'static str) -> Option<Date> {
        let text = normalize(&self.text(column));
        if text.is_empty() || self.note_unknown(column) {
            return None;
        }
        let why = match read_date(&text) {
            Ok(date) => return Some(date),
            Err(why) => why,
        };
        let message = match why {
            DateError::OutsideEra => Localized::new(
                "元号の範囲外の日付です（昭和は64年1月7日まで、平成は31年4月30日まで、令和は元年5月1日から）",
                "a Japanese era date outside its era (Shōwa ends 64/1/7, Heisei 31/4/30; Reiwa begins 1/5/1)",
            ),
            DateError::Unreadable => Localized::new(
                "日付として読めません（例: 2026-04-01、2026/4/1、令和8年4月1日）",
                "not a date (e.g. 2026-04-01, 2026/4/1, 令和8年4月1日)",
            ),
        };
        self.error(column, &text, message);
        None
    }

    /// A date of something that has happened (last patch, last logon, checklist returned…). A
    /// date after the evaluation day is a typing mistake (`2099-01-01`, `令和99年`, an Excel
    /// serial of 9999-12-31) that would silence every check on the row: it is an error.
    pub fn past_date(&mut self, column: &'static str) -> Option<Date> {
        let date = self.date(column)?;
        let Some(as_of) = self.as_of else {
            return Some(date);
        };
        let latest = as_of.saturating_add(jiff::Span::new().days(FUTURE_TOLERANCE_DAYS));
        if date <= latest {
            return Some(date);
        }
        let text = normalize(&self.text(column));
        self.error(
            column,
            &text,
            Localized::new(
                format!(
                    "未来の日付です（{as_of} より後）。この列には実際にあった日を書いてください"
                ),
                format!(
                    "a date in the future (after {as_of}): this column records a day that has passed"
                ),
            ),
        );
        None
    }

    /// Parses a non-empty cell with `parse`; empty cells are `None` without error.
    pub fn parse<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
        expected: impl FnOnce() -> Localized,
    ) -> Option<T> {
        let text = normalize(&self.text(column));
        if text.is_empty() || self.note_unknown(column) {
            return None;
        }
        let parsed = parse(&text);
        if parsed.is_none() {
            self.error(column, &text, expected());
        }
        parsed
    }

    /// The header as written for `column` (the canonical name when the column is absent).
    fn header_of(&self, column: &str) -> String {
        self.raw(column)
            .and_then(|(_, idx)| self.table.headers.get(idx))
            .map_or_else(|| column.to_owned(), |h| normalize(h))
    }

    fn error(&mut self, column: &str, value: &str, message: Localized) {
        let header = self.header_of(column);
        self.errors.push(InputError {
            file: self.table.file.clone(),
            line: Some(self.row.line),
            column: Some(header),
            value: Some(value.to_owned()),
            message,
        });
    }
}
