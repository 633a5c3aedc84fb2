//! Files → events, streaming.
//!
//! A text log is cut into blocks of [`BLOCK`] bytes at line ends (`blocks.rs`); a batch of four
//! blocks per thread is parsed in parallel (rayon) while the next batch is read and the one
//! before is folded into the file's [`EventSet`] in order, so one large file uses every core
//! and memory stays bounded by three batches, not the file. Several files are read in
//! parallel too. EVTX files are read record by record from disk by the `evtx` crate.
//!
//! Every file is read on its own: a truncated EVTX, binary garbage or an unknown format is
//! reported in that file's [`FileReport`] and the other files are still read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;

use mamori_model::event::LogEvent;
use mamori_model::{Localized, SourceRef};
use rayon::prelude::*;

use mamori_ingest::decode::decode_line;

use crate::blocks::{BLOCK, TextBlocks};
use crate::collect::{EventSet, ShardedFold};
use crate::syslog::TimeContext;
use crate::traffic::{Layout, Parsed, TrafficFormat, TrafficSummary};
use crate::{LogFormat, asa, fortigate, syslog, timeline, windows, windows_xml};

/// Text that must be read whole (Windows XML exports) and decompressed EVTX are refused past
/// this size rather than exhausting a clinic PC's memory (docs/hunt.md).
const MAX_WHOLE: u64 = 512 << 20;

/// Blocks parsed at once, per thread of the pool: several, so that a thread that ends its
/// block early takes another instead of waiting for the batch's last (measured: 4 × 1 MiB
/// scales better than 2 × 4 MiB, docs/performance.md). Three batches are in memory at most.
const BLOCKS_PER_THREAD: usize = 4;

const EVTX_MAGIC: &[u8] = b"ElfFile\0";

/// What was read from one file.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct FileReport {
    /// The file as named (the path given, or `-`).
    pub file: String,
    /// `evtx`, `syslog`, `fortigate`, … or `unknown`.
    pub format: &'static str,
    /// Records (EVTX, XML) or lines (text) read.
    pub records: u64,
    /// Security events taken from them.
    pub events: u64,
    /// Records that could not be read, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Why the file could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Localized>,
    /// What of the file was lost: a truncated or corrupt EVTX, records that could not be
    /// decoded, a read broken off. A file with damage was read only in part, so findings that
    /// came from it before cannot be taken as resolved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damaged: Vec<Localized>,
}

impl FileReport {
    fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            ..Self::default()
        }
    }

    fn skip(&mut self, reason: impl Into<String>, n: u64) {
        *self.skipped.entry(reason.into()).or_default() += n;
    }

    /// Read only in part, or not at all for a reason other than its format: what it held is
    /// unknown. A file of an unknown format is not damaged, only not a log mamori reads; a
    /// file left out on purpose (a link outside the folder, a FIFO, the same file twice) is
    /// not either.
    pub fn is_incomplete(&self) -> bool {
        !self.damaged.is_empty()
            || (self.error.is_some() && !matches!(self.format, "unknown" | "skipped"))
    }

    /// A file the walk left out, with the reason (see [`mamori_ingest::files`]).
    pub fn skipped(file: &str, reason: Localized) -> Self {
        Self {
            format: "skipped",
            error: Some(reason),
            ..Self::new(file)
        }
    }
}

/// How to read.
#[derive(Clone)]
pub struct ReadOptions {
    /// How to place year-less and zone-less times.
    pub tc: TimeContext,
    /// Read every file as this format instead of detecting it.
    pub format: Option<LogFormat>,
    /// Keep the normalised events as timeline CSV rows.
    pub timeline: bool,
    /// Follow links only inside this folder (the site folder); `None`: inside each path named.
    pub within: Option<std::path::PathBuf>,
}

impl ReadOptions {
    /// Detect each format, no timeline, links followed inside each named path.
    pub fn new(tc: TimeContext) -> Self {
        Self {
            tc,
            format: None,
            timeline: false,
            within: None,
        }
    }
}

/// What one file gave.
pub struct FileRead {
    /// What was read from the file, or what was lost.
    pub report: FileReport,
    /// The file's events, folded.
    pub events: EventSet,
    /// Timeline CSV rows (no header), in file order, spooled to an anonymous temporary file.
    pub timeline: Option<File>,
    /// The file's DNS, connection and web traffic (traffic logs only).
    pub traffic: TrafficSummary,
}

/// `evtx_threads`: threads for the EVTX parser (0 = all cores, 1 = none of its own).
pub fn read_path(path: &Path, opts: &ReadOptions, evtx_threads: usize) -> FileRead {
    let mut out = FileRead::new(&path.display().to_string(), opts);
    let name = out.report.file.to_lowercase();
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.report.error = Some(io_error(&e));
            return out;
        }
    };
    if name.ends_with(".gz") {
        // MultiGzDecoder: rotated logs are often several gzip members back to back, and the
        // plain decoder would silently stop after the first.
        out.read_stream(flate2::read::MultiGzDecoder::new(file), opts, evtx_threads);
    } else if name.ends_with(".zst") {
        match zstd::stream::read::Decoder::new(file) {
            Ok(d) => out.read_stream(d, opts, evtx_threads),
            Err(e) => out.decompress_error(&e),
        }
    } else {
        let mut magic = [0u8; 8];
        let is_evtx = file.read_exact(&mut magic).is_ok() && magic == EVTX_MAGIC;
        // The same open file, from its start again.
        if let Err(e) = file.rewind() {
            out.report.error = Some(io_error(&e));
        } else if (is_evtx && opts.format.is_none()) || opts.format == Some(LogFormat::Evtx) {
            // From disk, chunk by chunk: an EVTX file is never held whole.
            out.report.format = LogFormat::Evtx.as_str();
            out.report.damaged = crate::evtx_check::damage(&mut file);
            if let Err(e) = file.rewind() {
                out.report.error = Some(io_error(&e));
                return out;
            }
            match evtx::EvtxParser::from_read_seek(file) {
                Ok(p) => out.read_evtx(p, evtx_threads),
                Err(e) => out.evtx_error(&e),
            }
        } else {
            out.read_stream(file, opts, evtx_threads);
        }
    }
    out
}

/// Reads one log from a stream (standard input, a decompressor, or bytes for the fuzzers).
pub fn read_reader(name: &str, reader: impl Read + Send, opts: &ReadOptions) -> FileRead {
    let mut out = FileRead::new(name, opts);
    out.read_stream(reader, opts, 0);
    out
}

fn io_error(e: &std::io::Error) -> Localized {
    mamori_model::input::io_message(e)
}

/// How a text file is laid out.
#[derive(Clone, Copy, PartialEq)]
enum TextFormat {
    Syslog,
    Fortigate,
    CiscoAsa,
    WindowsJson,
}

impl FileRead {
    fn new(file: &str, opts: &ReadOptions) -> Self {
        Self {
            report: FileReport::new(file),
            events: EventSet::new(),
            timeline: opts.timeline.then(|| tempfile::tempfile().ok()).flatten(),
            traffic: TrafficSummary::default(),
        }
    }

    fn decompress_error(&mut self, e: &dyn std::fmt::Display) {
        self.report.format = "compressed";
        self.report.error = Some(Localized::new(
            format!("展開できません: {e}"),
            format!("cannot decompress: {e}"),
        ));
    }

    fn evtx_error(&mut self, e: &dyn std::fmt::Display) {
        self.report.error = Some(Localized::new(
            format!("EVTX として読めません: {e}"),
            format!("not a readable EVTX file: {e}"),
        ));
    }

    fn add(&mut self, event: LogEvent, rows: &mut Vec<u8>, timeline: bool) {
        self.report.events += 1;
        if timeline {
            timeline::write_row(rows, &event, 1);
        }
        self.events.push(event);
    }

    fn flush_timeline(&mut self, rows: &[u8]) {
        if let Some(f) = &mut self.timeline
            && f.write_all(rows).is_err()
        {
            self.report.skip("timeline not written (disk full?)", 1);
            self.timeline = None;
        }
    }

    fn read_stream(
        &mut self,
        mut reader: impl Read + Send,
        opts: &ReadOptions,
        evtx_threads: usize,
    ) {
        let mut block = Vec::with_capacity(BLOCK);
        if let Err(e) = fill(&mut reader, &mut block, BLOCK) {
            let name = self.report.file.to_lowercase();
            if name.ends_with(".gz") || name.ends_with(".zst") {
                self.decompress_error(&e);
            } else {
                self.report.error = Some(io_error(&e));
            }
            return;
        }
        let forced = opts.format;
        if (forced.is_none() && block.starts_with(EVTX_MAGIC)) || forced == Some(LogFormat::Evtx) {
            // Decompressed or piped EVTX: the parser needs it whole.
            self.report.format = LogFormat::Evtx.as_str();
            if let Err(e) = read_whole(&mut reader, &mut block) {
                return self.decompress_error(&e);
            }
            self.report.damaged = crate::evtx_check::damage(&mut std::io::Cursor::new(&block));
            match evtx::EvtxParser::from_buffer(block) {
                Ok(p) => self.read_evtx(p, evtx_threads),
                Err(e) => self.evtx_error(&e),
            }
            return;
        }
        if forced.is_none()
            && let Some((format, layout)) = detect_traffic_format(&block)
        {
            return self.read_traffic(reader, block, format, layout, opts);
        }
        let detected = forced.unwrap_or_else(|| detect_text_format(&block));
        self.report.format = detected.as_str();
        let format = match detected {
            LogFormat::Evtx => unreachable!("handled above"),
            LogFormat::WindowsXml => {
                if let Err(e) = read_whole(&mut reader, &mut block) {
                    return self.decompress_error(&e);
                }
                return self.read_windows_xml(&block, opts.timeline);
            }
            LogFormat::WindowsJson => TextFormat::WindowsJson,
            LogFormat::Syslog => TextFormat::Syslog,
            LogFormat::Fortigate => TextFormat::Fortigate,
            LogFormat::CiscoAsa => TextFormat::CiscoAsa,
        };
        self.read_text_blocks(reader, block, format, opts);
    }

    /// Parses the blocks of a text log in parallel and folds them in file order. Reading is
    /// a serial chain: it runs beside the parse of the batch before (`rayon::join`), so
    /// neither waits for the other; a batch holds [`BLOCKS_PER_THREAD`] blocks per thread, so
    /// the parse keeps every thread busy however many there are; and the fold of a batch is
    /// itself spread over the threads by fold key ([`ShardedFold`]).
    fn read_text_blocks(
        &mut self,
        reader: impl Read + Send,
        first: Vec<u8>,
        format: TextFormat,
        opts: &ReadOptions,
    ) {
        let threads = rayon::current_num_threads().max(1);
        let per_batch = BLOCKS_PER_THREAD * threads;
        let mut blocks = TextBlocks::new(reader, first);
        // The fold is ≈ 20 % of a one-thread read (sshd text): a chain beside the parse that
        // limits nothing at two or three threads; from four on it would, and is spread over
        // the threads (≈ 8 % more work, docs/performance.md).
        let mut fold = ShardedFold::new(if threads < 4 { 1 } else { 4 * threads });
        let mut recognised = 0u64;
        let file = self.report.file.clone();
        let mut batch = blocks.next_batch(per_batch);
        let mut parsed: Vec<BlockRead> = Vec::new();
        while !batch.is_empty() || !parsed.is_empty() {
            let (done, next) = rayon::join(
                || {
                    batch
                        .par_iter()
                        .map(|b| {
                            let mut read = parse_block(&b.bytes, b.first_line, format, &file, opts);
                            read.seq = b.seq;
                            read
                        })
                        .collect::<Vec<_>>()
                },
                || {
                    let mut sets = Vec::with_capacity(parsed.len());
                    for mut b in std::mem::take(&mut parsed) {
                        recognised += b.recognised;
                        sets.push((b.seq, std::mem::take(&mut b.set)));
                        self.report.events += b.traffic.records;
                        self.traffic.merge(std::mem::take(&mut b.traffic));
                        self.count(b);
                    }
                    fold.fold(sets);
                    blocks.next_batch(per_batch)
                },
            );
            blocks.recycle(std::mem::replace(&mut batch, next));
            parsed = done;
        }
        self.events.merge(fold.finish());
        let lost = blocks.lost;
        self.report.records += lost.lines;
        for (reason, n) in lost.skipped {
            self.report.skip(reason, n);
        }
        self.report.damaged.extend(lost.damaged);
        if format == TextFormat::Syslog && recognised == 0 && self.report.records > 0 {
            self.report.format = "unknown";
            self.report.skipped.clear();
            self.report.error = Some(Localized::new(
                "ログの形式を判別できません（syslog・EVTX・FortiGate・Cisco ASA・Windows イベントのいずれでもありません）",
                "unknown log format (not syslog, EVTX, FortiGate, Cisco ASA or Windows events)",
            ));
        }
    }

    /// Reads a traffic log (DNS, connections, proxy, web server): blocks parsed in parallel
    /// into per-block summaries, merged in file order.
    fn read_traffic(
        &mut self,
        reader: impl Read + Send,
        first: Vec<u8>,
        format: TrafficFormat,
        mut layout: Layout,
        opts: &ReadOptions,
    ) {
        self.report.format = format.as_str();
        let per_batch = BLOCKS_PER_THREAD * rayon::current_num_threads().max(1);
        let mut blocks = TextBlocks::new(reader, first);
        let file = self.report.file.clone();
        loop {
            let batch = blocks.next_batch(per_batch);
            if batch.is_empty() {
                break;
            }
            let parsed: Vec<TrafficBlock> = batch
                .par_iter()
                .map(|b| {
                    parse_traffic_block(&b.bytes, b.first_line, format, &layout, &file, &opts.tc)
                })
                .collect();
            for block in parsed {
                self.report.records += block.records;
                self.report.events += block.summary.records;
                for (reason, n) in block.skipped {
                    self.report.skip(reason.to_owned(), n);
                }
                if let Some(l) = block.layout {
                    layout = l;
                }
                self.traffic.merge(block.summary);
            }
            blocks.recycle(batch);
        }
        let lost = blocks.lost;
        self.report.records += lost.lines;
        for (reason, n) in lost.skipped {
            self.report.skip(reason, n);
        }
        self.report.damaged.extend(lost.damaged);
    }

    /// Counts what one block gave and writes its timeline rows, after the blocks before it.
    fn count(&mut self, b: BlockRead) {
        self.report.records += b.records;
        self.report.events += b.events;
        for (reason, n) in b.skipped {
            self.report.skip(reason, n);
        }
        self.flush_timeline(&b.timeline);
    }

    fn read_evtx<R: Read + std::io::Seek>(&mut self, parser: evtx::EvtxParser<R>, threads: usize) {
        let mut parser =
            parser.with_configuration(evtx::ParserSettings::default().num_threads(threads));
        let mut rows = Vec::new();
        let timeline = self.timeline.is_some();
        let mut broken = 0u64;
        for record in parser.records_json_value() {
            self.report.records += 1;
            match record {
                Ok(record) => {
                    // The event's own EventRecordID is what Event Viewer and exports show; the
                    // record header's number can differ (re-recorded files): the fallback.
                    let own_id = record
                        .data
                        .pointer("/Event/System/EventRecordID")
                        .and_then(serde_json::Value::as_u64);
                    let origin = SourceRef {
                        file: self.report.file.clone(),
                        record_id: Some(own_id.unwrap_or(record.event_record_id)),
                        ..SourceRef::default()
                    };
                    if let Some(event) = record
                        .data
                        .get("Event")
                        .and_then(|e| windows::map_event(e, origin))
                    {
                        self.add(event, &mut rows, timeline);
                        if rows.len() > BLOCK {
                            self.flush_timeline(&rows);
                            rows.clear();
                        }
                    }
                }
                Err(e) => {
                    broken += 1;
                    let reason = format!("broken record: {}", short_reason(&e.to_string()));
                    self.report.skip(reason, 1);
                }
            }
        }
        self.flush_timeline(&rows);
        if broken > 0 {
            self.report.damaged.push(Localized::new(
                format!("{broken} 件の記録が壊れていて読めません"),
                format!("{broken} record(s) are broken and could not be read"),
            ));
        }
    }

    /// Windows events exported as XML (wevtutil, Event Viewer): read whole.
    fn read_windows_xml(&mut self, bytes: &[u8], timeline: bool) {
        let (text, replaced) = decode_line(bytes);
        if replaced {
            self.report.skip("undecodable bytes replaced", 1);
        }
        let (values, error) = windows_xml::events(&text);
        let mut rows = Vec::new();
        for event in &values {
            self.report.records += 1;
            let origin = SourceRef {
                file: self.report.file.clone(),
                record_id: windows::record_id(event),
                ..SourceRef::default()
            };
            if let Some(e) = windows::map_event(event, origin) {
                self.add(e, &mut rows, timeline);
            }
        }
        self.flush_timeline(&rows);
        if let Some(error) = error {
            let reason = short_reason(&error);
            self.report.damaged.push(Localized::new(
                format!("XML が途中で壊れていて、その後は読めていません: {reason}"),
                format!("the XML breaks off; nothing after it was read: {reason}"),
            ));
            self.report.skip(format!("XML broken off: {reason}"), 1);
        }
    }
}

/// Reads until `buf` holds `target` bytes or the input ends; returns the bytes added.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> std::io::Result<usize> {
    let before = buf.len();
    if buf.len() >= target {
        return Ok(0);
    }
    reader
        .take((target - buf.len()) as u64)
        .read_to_end(buf)
        .map(|_| buf.len() - before)
}

fn read_whole(reader: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<()> {
    reader.take(MAX_WHOLE + 1).read_to_end(buf)?;
    if buf.len() as u64 > MAX_WHOLE {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, the limit for a file read whole",
            MAX_WHOLE >> 20
        )));
    }
    Ok(())
}

/// The first line of an error, at most 80 characters, so that reasons group.
fn short_reason(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    line.chars().take(80).collect()
}

/// A traffic log's format and header, from the first lines of its first block.
fn detect_traffic_format(block: &[u8]) -> Option<(TrafficFormat, Layout)> {
    let head = &block[..block.len().min(64 << 10)];
    let text = String::from_utf8_lossy(head);
    let lines: Vec<&str> = text.lines().take(40).collect();
    crate::traffic::formats::detect(&lines)
}

/// What one block of a traffic log gave.
struct TrafficBlock {
    records: u64,
    skipped: BTreeMap<&'static str, u64>,
    summary: TrafficSummary,
    /// The layout a header in the block set, for the blocks after it.
    layout: Option<Layout>,
}

fn parse_traffic_block(
    bytes: &[u8],
    first_line: u64,
    format: TrafficFormat,
    layout: &Layout,
    file: &str,
    tc: &TimeContext,
) -> TrafficBlock {
    let mut out = TrafficBlock {
        records: 0,
        skipped: BTreeMap::new(),
        summary: TrafficSummary::default(),
        layout: None,
    };
    let mut current = layout.clone();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (idx, end) in ends.enumerate() {
        let raw = &bytes[start..end.min(bytes.len())];
        start = end + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.records += 1;
        let (line, _) = decode_line(raw);
        let line_no = first_line + idx as u64;
        match crate::traffic::formats::parse_line(format, &line, &current, tc) {
            Parsed::Record(record) => out
                .summary
                .add(&record, || SourceRef::row(file.to_owned(), line_no)),
            Parsed::Layout(l) => {
                current = l.clone();
                out.layout = Some(l);
            }
            Parsed::Ignored(reason) | Parsed::Broken(reason) => {
                *out.skipped.entry(reason).or_default() += 1;
            }
        }
    }
    out
}

/// The format of a text log, from its first non-empty line.
fn detect_text_format(block: &[u8]) -> LogFormat {
    let first = block
        .split(|&b| b == b'\n')
        .map(|l| decode_line(l).0)
        .find(|l| !l.trim().is_empty());
    let first = first.as_deref().unwrap_or("").trim_start();
    if first.starts_with('{') {
        LogFormat::WindowsJson
    } else if first.starts_with("<?xml") || first.starts_with("<Event") {
        LogFormat::WindowsXml
    } else if fortigate::looks_like(first) {
        LogFormat::Fortigate
    } else if asa::looks_like(first) {
        LogFormat::CiscoAsa
    } else {
        LogFormat::Syslog
    }
}

/// What one block of text gave.
#[derive(Default)]
struct BlockRead {
    records: u64,
    events: u64,
    /// Lines of the expected format (syslog: with a readable header).
    recognised: u64,
    skipped: BTreeMap<String, u64>,
    set: EventSet,
    /// The block's place in the file.
    seq: u64,
    timeline: Vec<u8>,
    /// Traffic lines among the events (FortiGate traffic, DNS and web-filter logs).
    traffic: TrafficSummary,
}

impl BlockRead {
    fn add(&mut self, event: LogEvent, repeat: u32, timeline: bool) {
        self.events += u64::from(repeat);
        if timeline {
            timeline::write_row(&mut self.timeline, &event, repeat);
        }
        self.set.push_repeated_event(event, u64::from(repeat));
    }

    fn skip(&mut self, reason: &str) {
        match self.skipped.get_mut(reason) {
            Some(n) => *n += 1,
            None => {
                self.skipped.insert(reason.to_owned(), 1);
            }
        }
    }
}

fn parse_block(
    bytes: &[u8],
    first_line: u64,
    format: TextFormat,
    file: &str,
    opts: &ReadOptions,
) -> BlockRead {
    let mut out = BlockRead::default();
    let tc = &opts.tc;
    let mut state = syslog::LineState::default();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (idx, end) in ends.enumerate() {
        let raw = &bytes[start..end];
        start = end + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.records += 1;
        let (line, replaced) = decode_line(raw);
        if replaced {
            out.skip("undecodable bytes replaced");
        }
        let line_no = first_line + idx as u64;
        let origin = || SourceRef::row(file.to_owned(), line_no);
        match format {
            TextFormat::Syslog => {
                let Some(header) = syslog::parse_header_cached(&line, tc, &mut state.minutes)
                else {
                    out.skip("not a syslog line");
                    continue;
                };
                out.recognised += 1;
                // A YAMAHA RTX's filter and inspection logs: traffic, not events.
                if let Some(message) = crate::traffic::formats::rtx_message_in(&line)
                    && let Some(record) = crate::traffic::formats::rtx_message(message, header.time)
                {
                    out.traffic.add(&record, origin);
                    continue;
                }
                let timeline = opts.timeline;
                syslog::map_message_in(&header, origin(), &mut state, &mut |event, repeat| {
                    out.add(event, repeat, timeline)
                });
            }
            TextFormat::Fortigate => {
                if !fortigate::looks_like(&line) {
                    out.skip("not a fortigate line");
                    continue;
                }
                out.recognised += 1;
                let kv = fortigate::parse_kv(&line);
                if let Some(event) = fortigate::map_pairs(&kv, tc, origin()) {
                    out.add(event, 1, opts.timeline);
                } else if let Some(record) = fortigate::traffic_record(&kv, tc) {
                    out.traffic.add(&record, origin);
                }
            }
            TextFormat::CiscoAsa => {
                if !asa::looks_like(&line) {
                    out.skip("not a cisco-asa line");
                    continue;
                }
                out.recognised += 1;
                if let Some(event) = asa::map_line(&line, tc, origin()) {
                    out.add(event, 1, opts.timeline);
                }
            }
            TextFormat::WindowsJson => {
                let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                    out.skip("not a JSON object");
                    continue;
                };
                let Some(event) = value.get("Event") else {
                    out.skip("no Event object");
                    continue;
                };
                out.recognised += 1;
                let origin = SourceRef {
                    record_id: windows::record_id(event),
                    ..origin()
                };
                if let Some(e) = windows::map_event(event, origin) {
                    out.add(e, 1, opts.timeline);
                }
            }
        }
    }
    out
}
