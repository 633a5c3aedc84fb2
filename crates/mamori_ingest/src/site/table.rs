//! A table as cells: CSV (UTF-8 or CP932) or the first sheet of an XLSX workbook.
//!
//! The header row is the row among the first [`HEADER_SEARCH_ROWS`] that names the most of the
//! table's known columns (at least two, or every cell of it), so a title line above the header —
//! common in hand-made 台帳 — is fine, and a data row that happens to hold one header word
//! (the shared login `user`) is never taken for the header.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use mamori_model::Localized;

use super::columns::{Column, resolve};
use crate::decode::decode_lines;
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

/// What a CSV file gave: its rows, its encoding, and the mistakes found in reading it. A file
/// that is only partly right still gives every row that could be read.
pub struct CsvRead {
    pub rows: Vec<RawRow>,
    pub encoding: &'static str,
    pub errors: Vec<InputError>,
}

/// Reads a CSV file, line-decoded (see [`decode_lines`]). A quote that opens a cell and never
/// closes would otherwise swallow every following row into one cell without a word: that line
/// is read with its quotes as plain characters, reported, and reading goes on after it.
pub fn read_csv(bytes: &[u8], file: &str) -> Result<CsvRead, InputError> {
    let decoded = decode_lines(bytes);
    let mut errors = super::undecodable(file, &decoded.undecodable);
    let mut rows = Vec::new();
    let (mut rest, mut line) = (decoded.text.as_ref(), 1u64);
    loop {
        let Some(open) = unclosed_quote(rest) else {
            rows.extend(parse_csv(rest, line, true, file)?);
            break;
        };
        let line_start = rest[..open].rfind('\n').map_or(0, |i| i + 1);
        let line_end = rest[open..].find('\n').map_or(rest.len(), |i| open + i + 1);
        rows.extend(parse_csv(&rest[..line_start], line, true, file)?);
        let bad_line = line + newline_count(&rest.as_bytes()[..line_start]);
        let bad = &rest[line_start..line_end];
        rows.extend(parse_csv(bad, bad_line, false, file)?);
        let column = rest[line_start..open].matches(',').count() + 1;
        let value: String = rest[open..line_end].trim_end().chars().take(40).collect();
        errors.push(InputError {
            file: file.to_owned(),
            line: Some(bad_line),
            column: None,
            value: Some(value),
            message: Localized::new(
                format!(
                    "{column} 列目の「\"」が閉じていません。この行は「\"」をただの文字として読みました。セルの中で「\"」を使うときは「\"\"」と二つ重ねるか、セル全体を「\"…\"」で囲んでください"
                ),
                format!(
                    "the quote in column {column} is never closed; this line was read with its quotes as plain characters. Inside a cell write a quote as \"\" or enclose the whole cell in quotes"
                ),
            ),
        });
        line = bad_line + 1;
        rest = &rest[line_end..];
    }
    Ok(CsvRead {
        rows,
        encoding: decoded.encoding,
        errors,
    })
}

/// The byte offset of a quote that opens a cell and is never closed, as the csv crate reads
/// quotes (only at a cell's start; `""` inside a quoted cell is one quote). A cell that runs
/// over line ends and is "closed" by a quote with more text after it (`"東芝,…` on a later row)
/// is the same mistake, with the next stray quote ending it: Excel closes a quoted cell only
/// before a comma or a line end.
fn unclosed_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at_cell_start, mut open, mut spans_lines) = (true, None::<usize>, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match open {
            Some(at) if b == b'"' => {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    let ends_cell = matches!(bytes.get(i + 1), None | Some(b',' | b'\r' | b'\n'));
                    if spans_lines && !ends_cell {
                        return Some(at);
                    }
                    open = None;
                    at_cell_start = false;
                }
            }
            Some(_) => spans_lines |= b == b'\n',
            None => match b {
                b'"' if at_cell_start => (open, spans_lines) = (Some(i), false),
                b',' | b'\n' | b'\r' => at_cell_start = true,
                _ => at_cell_start = false,
            },
        }
        i += 1;
    }
    open
}

/// Parses a piece of a CSV file whose first line is `first_line`.
fn parse_csv(
    text: &str,
    first_line: u64,
    quoting: bool,
    file: &str,
) -> Result<Vec<RawRow>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .quoting(quoting)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers come from byte offsets: the csv crate's own line counter does not count the
    // blank lines it skips, and people look rows up by the line number their editor shows.
    let bytes = text.as_bytes();
    let (mut line, mut counted_to) = (first_line, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| InputError {
            file: file.to_owned(),
            line: e.position().map(|p| p.line() + first_line - 1),
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
    Ok(rows)
}

fn newline_count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The largest part of an XLSX file (a sheet's XML, the shared strings) once unpacked: a
/// ledger of 200,000 rows is well below it; a zip bomb is refused before it is unpacked.
const MAX_XLSX_PART: u64 = 256 << 20;
/// The most rows read from a sheet; past it the file is refused rather than held whole.
pub const MAX_ROWS: usize = 200_000;
/// The longest cell: longer text is no ledger entry.
const MAX_CELL: usize = 64 << 10;
/// Excel's last column (XFD).
const MAX_COLUMNS: usize = 16_384;

/// What an XLSX sheet gave: its rows, and how many blank cells of merged regions took the
/// region's value.
pub struct XlsxRead {
    /// The rows, merged regions filled.
    pub rows: Vec<RawRow>,
    /// Cells filled from the top-left cell of their merged region.
    pub merged_filled: usize,
}

/// Reads the first sheet cell by cell (calamine's streaming reader), within the limits above.
/// A merged region (a system name spanning its accounts' rows) gives its value to every row it
/// covers: Excel shows it on each, and keeps it in the first cell only.
pub fn read_xlsx(bytes: &[u8], file: &str) -> Result<XlsxRead, InputError> {
    let error = |line: Option<u64>, ja: String, en: String| InputError {
        file: file.to_owned(),
        line,
        column: None,
        value: None,
        message: Localized::new(ja, en),
    };
    let broken = |detail: String| {
        error(
            None,
            format!("Excel ファイルとして開けません: {detail}"),
            format!("cannot open as an Excel workbook: {detail}"),
        )
    };
    if let Some((part, size)) = oversized_part(bytes) {
        let mib = size >> 20;
        return Err(error(
            None,
            format!(
                "Excel ファイルの中身（{part}）が展開すると {mib} MiB になり、上限 {} MiB を超えるため読みません",
                MAX_XLSX_PART >> 20
            ),
            format!(
                "not read: the workbook's {part} unpacks to {mib} MiB, over the {} MiB limit",
                MAX_XLSX_PART >> 20
            ),
        ));
    }
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| broken(e.to_string()))?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Ok(XlsxRead {
            rows: Vec::new(),
            merged_filled: 0,
        });
    };
    let merged = workbook
        .merge_cells_by_sheet_name(&first)
        .map_err(|e| broken(e.to_string()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| broken(e.to_string()))?;
    let mut rows: Vec<RawRow> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| broken(e.to_string()))? {
        let (row, col) = cell.get_position();
        let (line, col) = (u64::from(row) + 1, col as usize);
        if rows.last().is_none_or(|r| r.line != line) {
            if rows.len() >= MAX_ROWS {
                return Err(error(
                    Some(line),
                    format!(
                        "行が多すぎます（上限 {MAX_ROWS} 行）。表を分けるか、不要な行を消してください"
                    ),
                    format!(
                        "too many rows (the limit is {MAX_ROWS}): split the table or delete unused rows"
                    ),
                ));
            }
            rows.push(RawRow {
                line,
                cells: Vec::new(),
            });
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.len() > MAX_CELL || col >= MAX_COLUMNS {
            return Err(error(
                Some(line),
                format!(
                    "{} 列目のセルが長すぎます（上限 {} KiB）",
                    col + 1,
                    MAX_CELL >> 10
                ),
                format!(
                    "the cell in column {} is too long (the limit is {} KiB)",
                    col + 1,
                    MAX_CELL >> 10
                ),
            ));
        }
        let row = &mut rows.last_mut().expect("pushed above").cells;
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col] = text;
    }
    drop(cells);
    let merged_filled = fill_merged(&mut rows, &merged);
    Ok(XlsxRead {
        rows,
        merged_filled,
    })
}

/// Copies each merged region's value into the blank cells it covers, within the rows and
/// columns read (a region declared over a million rows fills only what exists). Regions of a
/// real workbook do not overlap, so the work is bounded by the cells read; a crafted file with
/// overlapping ones stops at [`MAX_MERGE_VISITS`]. Returns how many cells were filled.
fn fill_merged(rows: &mut [RawRow], regions: &[calamine::Dimensions]) -> usize {
    let by_line: std::collections::HashMap<u64, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.line, i)).collect();
    let (mut filled, mut visits) = (0, 0usize);
    for region in regions {
        let (top, left) = (u64::from(region.start.0) + 1, region.start.1 as usize);
        let (bottom, right) = (u64::from(region.end.0) + 1, region.end.1 as usize);
        let Some(value) = by_line
            .get(&top)
            .and_then(|&i| rows[i].cells.get(left))
            .filter(|v| !v.trim().is_empty())
            .cloned()
        else {
            continue;
        };
        let last = bottom.min(top + rows.len() as u64);
        for line in top..=last {
            let Some(&i) = by_line.get(&line) else {
                continue;
            };
            let row = &mut rows[i].cells;
            let right = right.min(MAX_COLUMNS - 1).min(row.len().max(left + 1) - 1);
            for col in left..=right {
                visits += 1;
                if visits > MAX_MERGE_VISITS {
                    return filled;
                }
                if row.len() <= col {
                    row.resize(col + 1, String::new());
                }
                if row[col].trim().is_empty() {
                    row[col] = value.clone();
                    filled += 1;
                }
            }
        }
    }
    filled
}

/// The most cells merged regions may touch: far above any ledger (200,000 rows × 50 columns).
const MAX_MERGE_VISITS: usize = 10_000_000;

/// The first part of the zip whose declared unpacked size is over [`MAX_XLSX_PART`].
fn oversized_part(bytes: &[u8]) -> Option<(String, u64)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        if part.size() > MAX_XLSX_PART {
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return Some((name, part.size()));
        }
    }
    None
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

/// Finds the header row and splits the rest into data rows, dropping blank rows. Without a
/// convincing header the file is an error naming the columns expected; a header without the key
/// column is one too, unless the table can number its rows instead (`rows_as_keys`).
pub fn into_table(
    file: &str,
    encoding: &'static str,
    rows: Vec<RawRow>,
    columns: &[Column],
    key_column: &str,
    rows_as_keys: bool,
) -> Result<RawTable, InputError> {
    let best = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, r)| (i, header_score(r, columns)))
        .filter(|(_, score)| score.convincing())
        // The most columns named; the earliest row among equals.
        .max_by(|a, b| a.1.known.cmp(&b.1.known).then(b.0.cmp(&a.0)));
    let error = |line: u64, ja: String, en: String| InputError {
        file: file.to_owned(),
        line: Some(line),
        column: None,
        value: None,
        message: Localized::new(ja, en),
    };
    let Some((header_idx, score)) = best else {
        let expected = expected_headers(columns);
        return Err(error(
            1,
            format!(
                "見出し行が見つかりません。先頭{HEADER_SEARCH_ROWS}行のどれかに、列の名前を書いた行が必要です（例: {expected}）。この表は読み込んでいません"
            ),
            format!(
                "no header row: one of the first {HEADER_SEARCH_ROWS} rows must name the columns (e.g. {expected}); the table was not read"
            ),
        ));
    };
    if !score.names_key(key_column) && !rows_as_keys {
        let key = columns.iter().find(|c| c.name == key_column);
        let names = key.map(|c| c.aliases.join("・")).unwrap_or_default();
        return Err(error(
            rows[header_idx].line,
            format!(
                "見出し行に欠かせない列がありません。「{names}」のどれかの名前の列を加えてください。この表は読み込んでいません"
            ),
            format!(
                "the header row lacks the column {key_column} (or one of: {names}); the table was not read"
            ),
        ));
    }
    let mut rows = rows.into_iter().skip(header_idx);
    let header = rows.next().expect("header row exists");
    Ok(RawTable {
        file: file.to_owned(),
        encoding,
        headers: header.cells,
        rows: rows.filter(|r| !r.is_blank()).collect(),
    })
}

/// How much a row looks like the table's header.
struct HeaderScore {
    /// Distinct known columns it names.
    known: usize,
    /// Non-empty cells that name no known column.
    unknown: usize,
    /// The columns named.
    names: Vec<&'static str>,
}

impl HeaderScore {
    /// Two known columns, or a row of nothing but known columns.
    fn convincing(&self) -> bool {
        self.known >= 2 || (self.known == 1 && self.unknown == 0)
    }

    fn names_key(&self, key_column: &str) -> bool {
        self.names.contains(&key_column)
    }
}

fn header_score(row: &RawRow, columns: &[Column]) -> HeaderScore {
    let mut names: Vec<&'static str> = Vec::new();
    let mut unknown = 0;
    for cell in row.cells.iter().filter(|c| !c.trim().is_empty()) {
        match resolve(columns, cell) {
            Some(name) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => unknown += 1,
        }
    }
    HeaderScore {
        known: names.len(),
        unknown,
        names,
    }
}

/// The first Japanese name of each column: what a header row could say.
fn expected_headers(columns: &[Column]) -> String {
    columns
        .iter()
        .filter_map(|c| c.aliases.first())
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join("・")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(read: &CsvRead) -> Vec<(u64, String)> {
        read.rows
            .iter()
            .map(|r| (r.line, r.cells.get(1).cloned().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn an_unclosed_quote_loses_no_row() {
        let text = "id,name,phone\nV01,富士通,03-1\nV02,\"NEC,03-2\nV03,日立,03-3\nV04,キヤノン,03-4\nV05,\"東芝, 本社\",03-5\n";
        let read = read_csv(text.as_bytes(), "vendors.csv").unwrap();
        assert_eq!(
            names(&read),
            [
                (1, "name".to_owned()),
                (2, "富士通".to_owned()),
                (3, "\"NEC".to_owned()),
                (4, "日立".to_owned()),
                (5, "キヤノン".to_owned()),
                (6, "東芝, 本社".to_owned()),
            ]
        );
        assert_eq!(read.errors.len(), 1);
        let e = &read.errors[0];
        assert_eq!((e.line, e.value.as_deref()), (Some(3), Some("\"NEC,03-2")));
        assert!(e.message.ja.contains("2 列目の「\"」が閉じていません"));

        // Never closed at all: the rest of the file is still rows.
        let read = read_csv("id,name\nV01,\"NEC\nV02,日立\n".as_bytes(), "v.csv").unwrap();
        assert_eq!(
            names(&read)[1..],
            [(2, "\"NEC".to_owned()), (3, "日立".to_owned())]
        );
        assert_eq!(read.errors[0].line, Some(2));
    }

    #[test]
    fn quoted_cells_across_lines_and_doubled_quotes_stay_cells() {
        let text = "id,note\nA-1,\"一行目\n二行目\"\nA-2,\"彼は\"\"はい\"\"と言った\"\nA-3,x\n";
        let read = read_csv(text.as_bytes(), "assets.csv").unwrap();
        assert!(read.errors.is_empty());
        assert_eq!(
            names(&read),
            [
                (1, "note".to_owned()),
                (2, "一行目\n二行目".to_owned()),
                (4, "彼は\"はい\"と言った".to_owned()),
                (5, "x".to_owned()),
            ]
        );
    }

    #[test]
    fn one_utf8_row_in_a_cp932_file_is_read_with_its_line() {
        let mut bytes = encoding_rs::SHIFT_JIS
            .encode("id,name\nV01,富士通\n")
            .0
            .into_owned();
        bytes.extend_from_slice("V02,日本電気\n".as_bytes());
        bytes.extend_from_slice(b"V03,\xFF\xFE\n");
        let read = read_csv(&bytes, "vendors.csv").unwrap();
        assert_eq!(read.encoding, "CP932+UTF-8");
        assert_eq!(names(&read)[2], (3, "日本電気".to_owned()));
        assert_eq!(read.errors.len(), 1);
        assert_eq!(read.errors[0].line, Some(4));
        assert_eq!(read.rows.len(), 4, "the undecodable row is kept");
    }
}
