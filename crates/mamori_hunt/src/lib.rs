//! Log hunting: files → normalised [`LogEvent`]s → detections → [`Finding`]s.
//!
//! Every file is read on its own (see `read`): a truncated EVTX, binary garbage or an unknown
//! format is reported in that file's [`FileReport`] and the other files are still read. Formats
//! are detected from content (EVTX by its magic), not from names, unless a [`LogFormat`] is
//! given. `.gz` (multi-member) and `.zst` files are decompressed as they are read.
//!
//! Events are folded as they are read ([`EventSet`]): memory grows with distinct events per
//! minute, not with the size of the logs.
//!
//! FortiGate key=value lines and Cisco ASA messages are read for VPN and administrator logins.
//!
//! Windows events as JSON lines (the evtx_dump / Chainsaw shape) and as XML exports (wevtutil,
//! Event Viewer) are read too.

#![warn(missing_docs)]

pub mod asa;
mod blocks;
pub mod collect;
pub mod detect;
mod evtx_check;
pub mod fortigate;
mod line;
mod read;
pub mod sshd;
pub mod stream;
pub mod syslog;
pub mod timeline;
pub mod traffic;
pub mod windows;
pub mod windows_xml;

use std::path::PathBuf;

use rayon::prelude::*;

use mamori_model::Finding;

pub use collect::{EventSet, Repeated};
pub use detect::{Detector, Detectors, HuntConfig, RULES, detect};
pub use read::{FileRead, FileReport, ReadOptions};
pub use syslog::TimeContext;
pub use traffic::rules::TRAFFIC_RULES;

/// The formats mamori reads; detected from content unless given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Windows event log files (`.evtx`), by their magic.
    Evtx,
    /// Windows events as JSON lines (evtx_dump, Chainsaw).
    WindowsJson,
    /// Windows events exported as XML (wevtutil, Event Viewer).
    WindowsXml,
    /// syslog text (RFC 3164, RFC 5424, ISO timestamps), auth.log.
    Syslog,
    /// FortiGate key=value logs.
    Fortigate,
    /// Cisco ASA messages.
    CiscoAsa,
}

impl LogFormat {
    /// Every format, for `--log-format` and the docs.
    pub const ALL: [LogFormat; 6] = [
        LogFormat::Evtx,
        LogFormat::WindowsJson,
        LogFormat::WindowsXml,
        LogFormat::Syslog,
        LogFormat::Fortigate,
        LogFormat::CiscoAsa,
    ];

    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Evtx => "evtx",
            LogFormat::WindowsJson => "windows-json",
            LogFormat::WindowsXml => "windows-xml",
            LogFormat::Syslog => "syslog",
            LogFormat::Fortigate => "fortigate",
            LogFormat::CiscoAsa => "cisco-asa",
        }
    }
}

/// Everything read from the inputs.
#[derive(Default)]
pub struct HuntInput {
    /// Every event, folded per minute.
    pub events: EventSet,
    /// What each file gave, or why it gave nothing or only part.
    pub files: Vec<FileReport>,
    /// Timeline rows per file, in file order (with `ReadOptions::timeline`).
    pub timeline: Vec<std::fs::File>,
    /// DNS, connection and web traffic, per host and destination.
    pub traffic: traffic::TrafficSummary,
}

/// Reads every path (files, folders recursively, `-` for standard input). Folders are walked
/// with [`mamori_ingest::files`]: links are followed only inside `opts.within` (or inside each
/// path named), a file reached twice is read once, FIFOs and devices are not read; what is
/// left out is listed as a file with `format` `skipped` and the reason.
pub fn read_inputs(paths: &[PathBuf], opts: &ReadOptions) -> HuntInput {
    let mut input = HuntInput::default();
    let add = |read: FileRead, input: &mut HuntInput| {
        input.files.push(read.report);
        input.events.merge(read.events);
        input.timeline.extend(read.timeline);
        input.traffic.merge(read.traffic);
    };
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        add(read::read_reader("-", std::io::stdin(), opts), &mut input);
    }
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let walked = mamori_ingest::files::walk_paths(&paths, opts.within.as_deref());
    // Several files are read in parallel and joined in file order, so output does not depend
    // on scheduling. The EVTX parser then runs single-threaded: its own thread pool, started
    // inside a rayon worker, deadlocks. A single file keeps the parser's threads.
    let files = walked.files;
    let results: Vec<FileRead> = if files.len() == 1 {
        vec![read::read_path(&files[0], opts, 0)]
    } else {
        files
            .par_iter()
            .map(|f| read::read_path(f, opts, 1))
            .collect()
    };
    for read in results {
        add(read, &mut input);
    }
    for (path, reason) in walked.skipped {
        input
            .files
            .push(FileReport::skipped(&path.display().to_string(), reason));
    }
    input
}

/// Reads one log from memory (format detected from content). Used by the fuzz targets.
pub fn read_log_bytes(name: &str, bytes: &[u8], tc: &TimeContext) -> (FileReport, EventSet) {
    let read = read::read_reader(name, bytes, &ReadOptions::new(tc.clone()));
    (read.report, read.events)
}

/// Reads the inputs and runs every detection.
pub fn hunt(
    paths: &[PathBuf],
    opts: &ReadOptions,
    config: &HuntConfig,
) -> (HuntInput, Vec<Finding>) {
    let input = read_inputs(paths, opts);
    let mut findings = detect(input.events.groups(), config);
    findings.extend(traffic::rules::detect_traffic(&input.traffic, config));
    (input, findings)
}

/// Reads the inputs and runs every detection over the events of one time window only (the
/// year-end closure's log review). Returns the events kept.
pub fn hunt_window(
    paths: &[PathBuf],
    opts: &ReadOptions,
    config: &HuntConfig,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> (HuntInput, Vec<Finding>, u64) {
    let mut input = read_inputs(paths, opts);
    let events = std::mem::take(&mut input.events).within(from, to);
    let mut findings = detect(events.groups(), config);
    input.traffic = std::mem::take(&mut input.traffic).within(from, to);
    findings.extend(traffic::rules::detect_traffic(&input.traffic, config));
    let kept = events.total();
    input.events = events;
    (input, findings, kept)
}

/// For `--log-format`: one of [`LogFormat::ALL`] by its name.
impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        LogFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("one of {:?}", LogFormat::ALL.map(|f| f.as_str())))
    }
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
        assert_eq!(events.groups()[2].user, "山田");
        assert_eq!(events.groups()[1].origin.line, Some(2));
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
        let input = read_inputs(&[dir.path().to_owned()], &ReadOptions::new(tc()));
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

    #[test]
    fn lines_across_block_boundaries_keep_their_numbers() {
        // Three blocks' worth of lines, each a different account, and one line longer than
        // a block in the middle: every event is read once, with its own line number.
        let mut text = String::new();
        let mut n = 0u64;
        while text.len() < 3 * blocks::BLOCK {
            n += 1;
            if n == 20_000 {
                text.push_str(&"y".repeat(5 << 20));
                text.push('\n');
                continue;
            }
            text.push_str(&format!(
                "Nov 20 01:02:03 gw sshd[1]: Failed password for u{n} from 10.0.0.1 port 1 ssh2\r\n"
            ));
        }
        let (report, events) = read_log_bytes("big.log", text.as_bytes(), &tc());
        assert_eq!(report.records, n);
        assert_eq!(report.events, n - 1);
        for g in events.iter() {
            let user_no: u64 = g.user[1..].parse().unwrap();
            assert_eq!(g.origin.line, Some(user_no), "{}", g.user);
        }
        assert_eq!(report.skipped.get("line longer than 1 MiB"), Some(&1));
        assert!(
            report.damaged[0].en.contains("line 20000"),
            "{:?}",
            report.damaged
        );
    }

    #[test]
    fn events_and_line_numbers_do_not_depend_on_the_number_of_threads() {
        // Many blocks, parsed by one thread and by four: the same groups in the same order,
        // the same counts — the fold is in file order whatever thread parsed a block.
        let mut text = String::new();
        let mut n = 0u32;
        while text.len() < 40 * blocks::BLOCK {
            n += 1;
            let (minute, user, ip) = (n / 7_000 % 60, n % 13, n % 5);
            text.push_str(&format!(
                "Nov 20 01:{minute:02}:03 gw sshd[1]: Failed password for u{user} from 10.0.0.{ip} port 1 ssh2\n"
            ));
        }
        let read_with = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| read_log_bytes("big.log", text.as_bytes(), &tc()))
        };
        let (one, one_set) = read_with(1);
        let (four, four_set) = read_with(4);
        assert_eq!(one.records, u64::from(n));
        assert_eq!((four.records, four.events), (one.records, one.events));
        assert_eq!(four_set.groups(), one_set.groups());
        assert_eq!(one_set.total(), u64::from(n));
    }

    #[test]
    fn a_given_format_overrides_detection() {
        let line =
            b"Nov 20 01:02:03 gw sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2\n";
        let opts = ReadOptions {
            format: Some(LogFormat::Fortigate),
            ..ReadOptions::new(tc())
        };
        let read = read::read_reader("auth.log", &line[..], &opts);
        assert_eq!(read.report.format, "fortigate");
        assert_eq!(read.report.skipped.get("not a fortigate line"), Some(&1));
        let opts = ReadOptions {
            format: Some(LogFormat::Evtx),
            ..ReadOptions::new(tc())
        };
        let read = read::read_reader("auth.log", &line[..], &opts);
        assert!(read.report.error.is_some());
    }
}
