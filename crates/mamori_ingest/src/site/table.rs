//! A table as cells: CSV (UTF-8 or CP932) or the first sheet of an XLSX workbook.
//!
//! The header row is the first row (among the first [`HEADER_SEARCH_ROWS`]) that names the
//! table's key column, so a title line above the header — common in hand-made 台帳 — is fine.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use mamori_model::Localized;

use super::columns::{Column, resolve};
use crate::decode::decode_text;
use mamori_model::input::InputError;

const HEADER_SEARCH_ROWS: usize = 10;

pub struct RawTable {
    /// The file name as shown to people (relative to the site folder).
    pub file: String,
    pub encoding: &'static str,
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
}

pub struct RawRow {
    /// 1-based line (CSV) or row (XLSX) number in the file.
    pub line: u64,
    pub cells: Vec<String>,
}

impl RawRow {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

pub fn read_csv(bytes: &[u8], file: &str) -> Result<(Vec<RawRow>, &'static str), InputError> {
    let (text, encoding) = decode_text(bytes).map_err(|e| InputError {
        file: file.to_owned(),
        line: Some(e.line),
        column: None,
        value: None,
        message: Localized::new(
            "文字コードを判別できません（UTF-8 でも CP932/Shift_JIS でもありません）",
            "cannot decode the text: neither UTF-8 nor CP932/Shift_JIS",
        ),
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers come from byte offsets: the csv crate's own line counter does not count the
    // blank lines it skips, and people look rows up by the line number their editor shows.
    let bytes = text.as_bytes();
    let (mut line, mut counted_to) = (1u64, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| InputError {
            file: file.to_owned(),
            line: e.position().map(|p| p.line()),
            column: None,
            value: None,
            message: Localized::new(
                format!("CSV として読めません: {e}"),
                format!("not valid CSV: {e}"),
            ),
        })?;
        // The reported offset can point at the terminator before the record (and before any
        // blank lines the reader skipped), so step over line ends to the record's first byte.
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .max(counted_to);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += newline_count(&bytes[counted_to..start]);
        counted_to = start;
        rows.push(RawRow {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok((rows, encoding.as_str()))
}

fn newline_count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

pub fn read_xlsx(bytes: &[u8], file: &str) -> Result<Vec<RawRow>, InputError> {
    let broken = |detail: String| InputError {
        file: file.to_owned(),
        line: None,
        column: None,
        value: None,
        message: Localized::new(
            format!("Excel ファイルとして開けません: {detail}"),
            format!("cannot open as an Excel workbook: {detail}"),
        ),
    };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| broken(e.to_string()))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(broken(e.to_string())),
        None => return Ok(Vec::new()),
    };
    let first_row = range.start().map_or(0, |(row, _)| row as u64);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| RawRow {
            line: first_row + i as u64 + 1,
            cells: std::iter::repeat_n(String::new(), first_col)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// A cell as the text a person would have typed; dates become `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Finds the header row and splits the rest into data rows, dropping blank rows.
pub fn into_table(
    file: &str,
    encoding: &'static str,
    rows: Vec<RawRow>,
    columns: &[Column],
    key_column: &str,
) -> Result<RawTable, InputError> {
    let header_idx = rows.iter().take(HEADER_SEARCH_ROWS).position(|r| {
        r.cells
            .iter()
            .any(|c| resolve(columns, c) == Some(key_column))
    });
    let Some(header_idx) = header_idx else {
        let key = columns.iter().find(|c| c.name == key_column);
        let examples = key
            .map(|c| format!("{} / {}", c.name, c.aliases.join(" / ")))
            .unwrap_or_default();
        return Err(InputError {
            file: file.to_owned(),
            line: Some(1),
            column: Some(key_column.to_owned()),
            value: None,
            message: Localized::new(
                format!(
                    "見出し行が見つかりません。先頭{HEADER_SEARCH_ROWS}行に「{examples}」のいずれかの列が必要です"
                ),
                format!(
                    "no header row: one of the first {HEADER_SEARCH_ROWS} rows must name the column {examples}"
                ),
            ),
        });
    };
    let mut rows = rows.into_iter().skip(header_idx);
    let header = rows.next().expect("header row exists");
    Ok(RawTable {
        file: file.to_owned(),
        encoding,
        headers: header.cells,
        rows: rows.filter(|r| !r.is_blank()).collect(),
    })
}
