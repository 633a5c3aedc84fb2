//! Log hunting: files → normalised [`LogEvent`]s → detections → [`Finding`]s.
//!
//! Every file is read on its own: a truncated EVTX, binary garbage or an unknown format is
//! reported in that file's [`FileReport`] and the other files are still read. Formats are
//! detected from content (EVTX by its magic), not from names.
//!
//! `.gz` (multi-member) and `.zst` files are decompressed first.
//!
//! FortiGate key=value lines and Cisco ASA messages are read for VPN and administrator logins.
//!
//! Windows events as JSON lines (the evtx_dump / Chainsaw shape) and as XML exports (wevtutil,
//! Event Viewer) are read too.

pub mod asa;
pub mod detect;
pub mod fortigate;
pub mod syslog;
pub mod windows;
pub mod windows_xml;

use std::collections::BTreeMap;
use std::io::Read;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use mamori_model::event::LogEvent;
use mamori_model::{Finding, Localized, SourceRef};

pub use detect::{HuntConfig, RULES, detect};
pub use syslog::TimeContext;

/// What was read from one file.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    /// `evtx`, `syslog`, or what was recognised but is not supported yet.
    pub format: &'static str,
    /// Records (EVTX) or lines (text) read.
    pub records: u64,
    /// Security events taken from them.
    pub events: u64,
    /// Records that could not be read, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Why the file could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Localized>,
}

#[derive(Default)]
pub struct HuntInput {
    pub events: Vec<LogEvent>,
    pub files: Vec<FileReport>,
}

const EVTX_MAGIC: &[u8] = b"ElfFile\0";

/// Reads every path (files, folders recursively, `-` for standard input).
pub fn read_inputs(paths: &[PathBuf], tc: &TimeContext) -> HuntInput {
    let mut input = HuntInput::default();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            let mut report = FileReport {
                file: "-".into(),
                ..FileReport::default()
            };
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => read_bytes(&bytes, &mut report, &mut input.events, tc, 0),
                Err(e) => report.error = Some(io_error(&e)),
            }
            input.files.push(report);
        } else {
            // Several files are read in parallel, each into its own event list, joined in file
            // order so output does not depend on scheduling. The EVTX parser then runs single-
            // threaded: its own thread pool, started inside a rayon worker, deadlocks. A single
            // file keeps the parser's internal parallelism instead.
            let files = expand(path);
            let read_one = |file: &PathBuf, evtx_threads: usize| {
                let mut events = Vec::new();
                let report = read_file(file, &mut events, tc, evtx_threads);
                (report, events)
            };
            let results: Vec<(FileReport, Vec<LogEvent>)> = if files.len() == 1 {
                vec![read_one(&files[0], 0)]
            } else {
                files.par_iter().map(|f| read_one(f, 1)).collect()
            };
            for (report, events) in results {
                input.files.push(report);
                input.events.extend(events);
            }
        }
    }
    input
}

/// Files under `path` in a stable order (a file is itself).
fn expand(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            files.push(dir);
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if !entry.file_name().to_string_lossy().starts_with('.') {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn io_error(e: &std::io::Error) -> Localized {
    Localized::new(format!("読み込めません: {e}"), format!("cannot read: {e}"))
}

/// `evtx_threads`: threads for the EVTX parser (0 = all cores, 1 = none of its own).
fn read_file(
    path: &Path,
    events: &mut Vec<LogEvent>,
    tc: &TimeContext,
    evtx_threads: usize,
) -> FileReport {
    let mut report = FileReport {
        file: path.display().to_string(),
        ..FileReport::default()
    };
    let name = report.file.to_lowercase();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.error = Some(io_error(&e));
            return report;
        }
    };
    let decompressed = if name.ends_with(".gz") {
        // MultiGzDecoder: rotated logs are often several gzip members back to back, and the
        // plain decoder would silently stop after the first.
        Some(decompress(flate2::read::MultiGzDecoder::new(&bytes[..])))
    } else if name.ends_with(".zst") {
        Some(zstd::stream::read::Decoder::new(&bytes[..]).and_then(decompress))
    } else {
        None
    };
    match decompressed {
        None => read_bytes(&bytes, &mut report, events, tc, evtx_threads),
        Some(Ok(plain)) => read_bytes(&plain, &mut report, events, tc, evtx_threads),
        Some(Err(e)) => {
            report.format = "compressed";
            report.error = Some(Localized::new(
                format!("展開できません: {e}"),
                format!("cannot decompress: {e}"),
            ));
        }
    }
    report
}

/// Decompressed logs are held in memory for now; past this size a file is refused rather than
/// exhausting a clinic PC's memory.
const MAX_DECOMPRESSED: u64 = 4 << 30;

fn decompress(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut plain = Vec::new();
    reader.take(MAX_DECOMPRESSED + 1).read_to_end(&mut plain)?;
    if plain.len() as u64 > MAX_DECOMPRESSED {
        return Err(std::io::Error::other("larger than 4 GiB once decompressed"));
    }
    Ok(plain)
}

/// Reads one log from memory (EVTX or text, detected from content). Used for standard input
/// and by the fuzz targets.
pub fn read_log_bytes(name: &str, bytes: &[u8], tc: &TimeContext) -> (FileReport, Vec<LogEvent>) {
    let mut report = FileReport {
        file: name.to_owned(),
        ..FileReport::default()
    };
    let mut events = Vec::new();
    read_bytes(bytes, &mut report, &mut events, tc, 0);
    (report, events)
}

fn read_bytes(
    bytes: &[u8],
    report: &mut FileReport,
    events: &mut Vec<LogEvent>,
    tc: &TimeContext,
    evtx_threads: usize,
) {
    if bytes.starts_with(EVTX_MAGIC) {
        report.format = "evtx";
        read_evtx(bytes, report, events, evtx_threads);
    } else {
        read_text(bytes, report, events, tc);
    }
}

fn read_evtx(bytes: &[u8], report: &mut FileReport, events: &mut Vec<LogEvent>, threads: usize) {
    let parser = evtx::EvtxParser::from_buffer(bytes.to_vec());
    let mut parser = match parser {
        Ok(p) => p.with_configuration(evtx::ParserSettings::default().num_threads(threads)),
        Err(e) => {
            report.error = Some(Localized::new(
                format!("EVTX として読めません: {e}"),
                format!("not a readable EVTX file: {e}"),
            ));
            return;
        }
    };
    for record in parser.records_json_value() {
        report.records += 1;
        match record {
            Ok(record) => {
                // The event's own EventRecordID is what Event Viewer and exports show; the
                // record header's number can differ (re-recorded files), so it is the fallback.
                let own_id = record
                    .data
                    .pointer("/Event/System/EventRecordID")
                    .and_then(serde_json::Value::as_u64);
                let origin = SourceRef {
                    file: report.file.clone(),
                    record_id: Some(own_id.unwrap_or(record.event_record_id)),
                    ..SourceRef::default()
                };
                if let Some(event) = record
                    .data
                    .get("Event")
                    .and_then(|e| windows::map_event(e, origin))
                {
                    report.events += 1;
                    events.push(event);
                }
            }
            Err(e) => {
                let reason = format!("broken record: {}", short_reason(&e.to_string()));
                *report.skipped.entry(reason).or_default() += 1;
            }
        }
    }
}

/// The first line of an error, at most 80 characters, so that reasons group.
fn short_reason(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    line.chars().take(80).collect()
}

fn read_text(bytes: &[u8], report: &mut FileReport, events: &mut Vec<LogEvent>, tc: &TimeContext) {
    let text = match mamori_ingest::decode::decode_text(bytes) {
        Ok((text, _)) => text,
        Err(_) => {
            *report
                .skipped
                .entry("undecodable bytes replaced".into())
                .or_default() += 1;
            String::from_utf8_lossy(bytes)
        }
    };
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_start();
    if first.starts_with('{') {
        report.format = "windows-json";
        read_windows_json(&text, report, events);
        return;
    }
    if first.starts_with("<?xml") || first.starts_with("<Event") {
        report.format = "windows-xml";
        read_windows_xml(&text, report, events);
        return;
    }
    if fortigate::looks_like(first) {
        report.format = "fortigate";
        read_lines(
            &text,
            report,
            events,
            fortigate::looks_like,
            |line, origin| fortigate::map_line(line, tc, origin),
        );
        return;
    }
    if asa::looks_like(first) {
        report.format = "cisco-asa";
        read_lines(&text, report, events, asa::looks_like, |line, origin| {
            asa::map_line(line, tc, origin)
        });
        return;
    }
    report.format = "syslog";
    let mut recognised = 0u64;
    for (idx, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.records += 1;
        let Some(header) = syslog::parse_header(line, tc) else {
            *report
                .skipped
                .entry("not a syslog line".into())
                .or_default() += 1;
            continue;
        };
        recognised += 1;
        let origin = SourceRef::row(report.file.clone(), idx as u64 + 1);
        if let Some((event, repeat)) = syslog::map_message(&header, origin) {
            report.events += u64::from(repeat);
            for _ in 1..repeat {
                events.push(event.clone());
            }
            events.push(event);
        }
    }
    if recognised == 0 && report.records > 0 {
        report.format = "unknown";
        report.skipped.clear();
        report.error = Some(Localized::new(
            "ログの形式を判別できません（syslog・EVTX のどちらでもありません）",
            "unknown log format (neither syslog nor EVTX)",
        ));
    }
}

/// Windows events as JSON lines, one event per line, in the shape `evtx_dump` and Chainsaw
/// write (`{"Event": {"System": …, "EventData": …}}`, attributes nested or as `*_attributes`).
fn read_windows_json(text: &str, report: &mut FileReport, events: &mut Vec<LogEvent>) {
    for (idx, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.records += 1;
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(_) => {
                *report
                    .skipped
                    .entry("not a JSON object".into())
                    .or_default() += 1;
                continue;
            }
        };
        let Some(event) = value.get("Event") else {
            *report.skipped.entry("no Event object".into()).or_default() += 1;
            continue;
        };
        let record_id = event
            .get("System")
            .and_then(|s| s.get("EventRecordID"))
            .and_then(serde_json::Value::as_u64);
        let origin = SourceRef {
            file: report.file.clone(),
            line: Some(idx as u64 + 1),
            record_id,
            column: None,
        };
        if let Some(e) = windows::map_event(event, origin) {
            report.events += 1;
            events.push(e);
        }
    }
}

/// Windows events exported as XML (wevtutil, Event Viewer).
fn read_windows_xml(text: &str, report: &mut FileReport, events: &mut Vec<LogEvent>) {
    let (values, error) = windows_xml::events(text);
    for event in &values {
        report.records += 1;
        let record_id = event
            .get("System")
            .and_then(|s| s.get("EventRecordID"))
            .and_then(|v| {
                v.as_str()
                    .and_then(|s| s.parse().ok())
                    .or_else(|| v.as_u64())
            });
        let origin = SourceRef {
            file: report.file.clone(),
            record_id,
            ..SourceRef::default()
        };
        if let Some(e) = windows::map_event(event, origin) {
            report.events += 1;
            events.push(e);
        }
    }
    if let Some(error) = error {
        let reason = format!("XML broken off: {}", short_reason(&error));
        *report.skipped.entry(reason).or_default() += 1;
    }
}

/// Reads a vendor log line by line: lines that are not of the format are counted as skipped.
fn read_lines(
    text: &str,
    report: &mut FileReport,
    events: &mut Vec<LogEvent>,
    is_format: fn(&str) -> bool,
    map: impl Fn(&str, SourceRef) -> Option<LogEvent>,
) {
    for (idx, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.records += 1;
        if !is_format(line) {
            let reason = format!("not a {} line", report.format);
            *report.skipped.entry(reason).or_default() += 1;
            continue;
        }
        let origin = SourceRef::row(report.file.clone(), idx as u64 + 1);
        if let Some(event) = map(line, origin) {
            report.events += 1;
            events.push(event);
        }
    }
}

/// Reads the inputs and runs every detection.
pub fn hunt(paths: &[PathBuf], tc: &TimeContext, config: &HuntConfig) -> (HuntInput, Vec<Finding>) {
    let input = read_inputs(paths, tc);
    let findings = detect(&input.events, config);
    (input, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc() -> TimeContext {
        TimeContext {
            zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
            reference: jiff::civil::date(2026, 11, 21),
        }
    }

    #[test]
    fn garbage_long_lines_and_cp932_are_handled() {
        let garbage: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        let (report, events) = read_log_bytes("garbage.bin", &garbage, &tc());
        assert!(events.is_empty());
        assert!(report.error.is_some() || !report.skipped.is_empty());

        let mut text = format!(
            "Nov 20 01:02:03 gw sshd[1]: Failed password for {} from 10.0.0.1 port 1 ssh2\n",
            "x".repeat(1 << 20)
        );
        text.push_str(
            "Nov 20 01:02:04 gw sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2\n",
        );
        text.push_str(
            "Nov 20 01:02:05 gw sshd[1]: Failed password for 山田 from 10.0.0.1 port 1 ssh2\n",
        );
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let (report, events) = read_log_bytes("auth.log", &bytes, &tc());
        assert_eq!(report.events, 3);
        assert_eq!(events[2].user, "山田");
        assert_eq!(events[1].origin.line, Some(2));
    }

    #[test]
    fn gzip_members_and_zstd_are_read() {
        use std::io::Write;
        let line = |n: u32| {
            format!(
                "Nov 20 01:02:0{n} gw sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2\n"
            )
        };
        let mut gz = Vec::new();
        for n in 1..=2 {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(line(n).as_bytes()).unwrap();
            gz.extend(enc.finish().unwrap());
        }
        let zst = zstd::stream::encode_all(line(3).as_bytes(), 1).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("auth.log.1.gz"), &gz).unwrap();
        std::fs::write(dir.path().join("auth.log.2.zst"), &zst).unwrap();
        std::fs::write(dir.path().join("broken.gz"), b"\x1f\x8b garbage").unwrap();
        let input = read_inputs(&[dir.path().to_owned()], &tc());
        let counts: Vec<(u64, bool)> = input
            .files
            .iter()
            .map(|f| (f.events, f.error.is_some()))
            .collect();
        assert_eq!(counts, [(2, false), (1, false), (0, true)]);
    }

    #[test]
    fn formats_are_recognised_from_content() {
        let (r, _) = read_log_bytes(
            "events.xml",
            b"<?xml version=\"1.0\"?>\n<Events></Events>\n",
            &tc(),
        );
        assert_eq!(
            (r.format, r.records, r.error.is_none()),
            ("windows-xml", 0, true)
        );
        let (r, _) = read_log_bytes(
            "fw.log",
            b"date=2026-01-01 time=00:00:00 devname=FGT type=traffic\n",
            &tc(),
        );
        assert_eq!((r.format, r.records, r.events), ("fortigate", 1, 0));
        let (r, _) = read_log_bytes("x.txt", b"hello\nworld\n", &tc());
        assert_eq!(r.format, "unknown");
    }
}
