//! Writing tables as UTF-8 CSV, CP932 CSV (as Excel in Japan saves them) or XLSX.

use std::path::Path;

use anyhow::Context;

pub type Table = (Vec<&'static str>, Vec<Vec<String>>);

pub fn csv_utf8(path: &Path, table: &Table, bom: bool) -> anyhow::Result<()> {
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(csv_text(table)?.into_bytes());
    std::fs::write(path, bytes).with_context(|| path.display().to_string())
}

pub fn csv_cp932(path: &Path, table: &Table) -> anyhow::Result<()> {
    let text = csv_text(table)?;
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&text);
    anyhow::ensure!(!had_errors, "text not representable in CP932");
    std::fs::write(path, bytes).with_context(|| path.display().to_string())
}

fn csv_text(table: &Table) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&table.0)?;
    for row in &table.1 {
        w.write_record(row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// An XLSX ledger with a title row above the header, as hand-made 台帳 often have; cells that
/// look like dates are written as real Excel dates.
pub fn xlsx(path: &Path, title: &str, table: &Table) -> anyhow::Result<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("台帳")?;
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("yyyy/mm/dd");
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (c, h) in table.0.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    for (r, row) in table.1.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            let date = cell
                .split('-')
                .map(str::parse::<u16>)
                .collect::<Result<Vec<_>, _>>()
                .ok()
                .filter(|p| p.len() == 3 && p[0] > 1900);
            match date {
                Some(p) => {
                    let d = ExcelDateTime::from_ymd(p[0], p[1] as u8, p[2] as u8)?;
                    sheet.write_datetime_with_format(r, c, &d, &date_fmt)?;
                }
                None if !cell.is_empty() => {
                    sheet.write_string(r, c, cell)?;
                }
                None => {}
            }
        }
    }
    sheet.autofit();
    book.save(path)
        .with_context(|| path.display().to_string())?;
    Ok(())
}
