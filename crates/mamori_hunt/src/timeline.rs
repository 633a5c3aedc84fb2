//! The normalised events as CSV rows, for `--timeline`: one row per event (a `repeat` column
//! for lines the source logged as repeated), times in Japan time and UTC. UTF-8 with a BOM, so
//! Excel on Japanese Windows opens it without garbling.

use mamori_model::event::LogEvent;

/// The BOM and the header line.
pub const HEADER: &str = "\u{FEFF}time_jst,time_utc,kind,outcome,method,host,source_ip,source_host,user,domain,actor,object,reason,source_event,file,line,record_id,repeat\n";

/// Appends one event as a CSV row.
pub fn write_row(out: &mut Vec<u8>, e: &LogEvent, repeat: u32) {
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let jst = e
        .time
        .map(|t| t.to_zoned(zone).strftime("%Y-%m-%d %H:%M:%S").to_string());
    let fields: [&str; 18] = [
        jst.as_deref().unwrap_or(""),
        &e.time.map(|t| t.to_string()).unwrap_or_default(),
        e.kind.as_str(),
        e.outcome.as_str(),
        e.method.map_or("", |m| m.as_str()),
        &e.host,
        &e.source_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        &e.source_host,
        &e.user,
        &e.domain,
        &e.actor,
        &e.object,
        &e.reason,
        &e.source_event,
        &e.origin.file,
        &e.origin.line.map(|l| l.to_string()).unwrap_or_default(),
        &e.origin
            .record_id
            .map(|r| r.to_string())
            .unwrap_or_default(),
        &repeat.to_string(),
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_field(out, f);
    }
    out.push(b'\n');
}

/// RFC 4180 quoting. A leading `=`, `+`, `-` or `@` is prefixed with `'` so that a hostile
/// user name in a log cannot become a formula when the file is opened in Excel.
fn write_field(out: &mut Vec<u8>, f: &str) {
    let formula = f.starts_with(['=', '+', '-', '@']);
    if formula || f.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        if formula {
            out.push(b'\'');
        }
        for b in f.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(f.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_model::SourceRef;
    use mamori_model::event::{EventKind, Outcome};

    #[test]
    fn rows_quote_and_defuse_formulas() {
        let mut e = LogEvent::new(
            EventKind::Logon,
            Outcome::Failure,
            SourceRef::row("a.log", 7),
        );
        e.user = "=HYPERLINK(\"x\")".into();
        e.reason = "bad, very".into();
        let mut out = Vec::new();
        write_row(&mut out, &e, 2);
        let row = String::from_utf8(out).unwrap();
        assert_eq!(
            row,
            ",,logon,failure,,,,,\"'=HYPERLINK(\"\"x\"\")\",,,,\"bad, very\",,a.log,7,,2\n"
        );
        let header_fields = HEADER.trim_end().split(',').count();
        assert_eq!(
            row.trim_end().split(',').count(),
            header_fields + 1,
            "one comma inside quotes"
        );
    }
}
