//! A text stream cut into blocks at line ends, for parsing in parallel.
//!
//! The cutter only reads and cuts: it runs on one thread while the blocks it cut before are
//! parsed on the others (see `read.rs`). Its buffers are recycled: a fresh buffer per block cost more in page faults than the parse of the block on one core.

use std::collections::BTreeMap;
use std::io::Read;

use mamori_model::Localized;

/// Bytes of text parsed as one unit of work.
pub(crate) const BLOCK: usize = 2 << 20;
/// The longest line read: longer ones (a gzip of gigabytes without a line end) are skipped to
/// their end, counted and reported, instead of being held whole (docs/hunt.md).
const MAX_LINE: usize = 1 << 20;

/// A block of whole lines and the number of its first line.
pub(crate) struct Block {
    /// The block's place in the file: 0 for the first.
    pub seq: u64,
    /// Line number of the block's first line (1-based).
    pub first_line: u64,
    /// The lines, each ending in `\n` but perhaps the last of the input.
    pub bytes: Vec<u8>,
}

/// What the cutter could not read, for the file's report.
#[derive(Default)]
pub(crate) struct Lost {
    /// Lines left out (longer than [`MAX_LINE`]): records read but not parsed.
    pub lines: u64,
    /// Reasons and counts, as in the report's `skipped`.
    pub skipped: BTreeMap<String, u64>,
    /// What of the file was not read.
    pub damaged: Vec<Localized>,
}

/// Cuts a stream into [`Block`]s.
pub(crate) struct TextBlocks<R> {
    reader: R,
    /// Read and not yet cut: at most one block and the start of a line.
    pending: Vec<u8>,
    eof: bool,
    next_line: u64,
    next_seq: u64,
    /// Buffers of parsed blocks, for the next ones.
    spare: Vec<Vec<u8>>,
    /// Not read so far.
    pub lost: Lost,
}

impl<R: Read> TextBlocks<R> {
    /// `first`: what was already read from `reader` (to detect the format).
    pub fn new(reader: R, first: Vec<u8>) -> Self {
        Self {
            reader,
            pending: first,
            eof: false,
            next_line: 1,
            next_seq: 0,
            spare: Vec::new(),
            lost: Lost::default(),
        }
    }

    /// Takes back the buffers of blocks that were parsed.
    pub fn recycle(&mut self, blocks: Vec<Block>) {
        for mut b in blocks {
            if b.bytes.capacity() >= BLOCK && self.spare.len() < 64 {
                b.bytes.clear();
                self.spare.push(b.bytes);
            }
        }
    }

    fn buffer(&mut self) -> Vec<u8> {
        self.spare
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(BLOCK))
    }

    /// Up to `n` blocks; none when the input has ended. A read error ends the input and is
    /// reported as damage; lines over [`MAX_LINE`] are skipped and reported.
    pub fn next_batch(&mut self, n: usize) -> Vec<Block> {
        let mut blocks = Vec::with_capacity(n);
        while blocks.len() < n {
            match self.next_block() {
                Some(b) => blocks.push(b),
                None => break,
            }
        }
        blocks
    }

    fn next_block(&mut self) -> Option<Block> {
        loop {
            if !self.eof && self.pending.len() < BLOCK {
                self.fill(BLOCK);
            }
            if self.pending.is_empty() {
                return None;
            }
            let cut = if self.eof && self.pending.len() <= BLOCK {
                self.pending.len()
            } else {
                let head = &self.pending[..self.pending.len().min(BLOCK)];
                match memchr::memrchr(b'\n', head) {
                    Some(i) => i + 1,
                    // One line longer than a block: take it whole, up to its end.
                    None => match memchr::memchr(b'\n', &self.pending) {
                        Some(i) => i + 1,
                        None if self.pending.len() >= MAX_LINE => {
                            self.skip_long_line();
                            continue;
                        }
                        None if self.eof => self.pending.len(),
                        None => {
                            let target = self.pending.len() + BLOCK;
                            self.fill(target);
                            continue;
                        }
                    },
                }
            };
            let mut rest = self.buffer();
            rest.extend_from_slice(&self.pending[cut..]);
            self.pending.truncate(cut);
            let bytes = std::mem::replace(&mut self.pending, rest);
            let first_line = self.next_line;
            self.next_line += memchr::memchr_iter(b'\n', &bytes).count() as u64;
            let seq = self.next_seq;
            self.next_seq += 1;
            return Some(Block {
                seq,
                first_line,
                bytes,
            });
        }
    }

    /// Reads until `pending` holds `target` bytes or the input ends (`eof` set).
    fn fill(&mut self, target: usize) {
        let before = self.pending.len();
        if before >= target {
            return;
        }
        let read = (&mut self.reader)
            .take((target - before) as u64)
            .read_to_end(&mut self.pending);
        match read {
            Ok(0) => self.eof = true,
            Ok(_) => {}
            Err(e) => {
                let line = self.next_line;
                *self
                    .lost
                    .skipped
                    .entry(format!("read broken off: {e}"))
                    .or_default() += 1;
                self.lost.damaged.push(Localized::new(
                    format!(
                        "途中で読めなくなりました（{line} 行目付近から後は読めていません）: {e}"
                    ),
                    format!("reading broke off near line {line}; the rest was not read: {e}"),
                ));
                self.eof = true;
            }
        }
    }

    /// Drops the rest of a line longer than [`MAX_LINE`] (what `pending` holds of it, then
    /// the input up to its end) and reports it; `pending` keeps what follows the line end.
    fn skip_long_line(&mut self) {
        let line = self.next_line;
        let mut dropped = self.pending.len() as u64;
        self.pending.clear();
        loop {
            let read = (&mut self.reader)
                .take(BLOCK as u64)
                .read_to_end(&mut self.pending);
            match read {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Err(e) => {
                    *self
                        .lost
                        .skipped
                        .entry(format!("read broken off: {e}"))
                        .or_default() += 1;
                    self.eof = true;
                    break;
                }
                Ok(_) => {}
            }
            if let Some(i) = memchr::memchr(b'\n', &self.pending) {
                dropped += i as u64;
                self.pending.drain(..=i);
                break;
            }
            dropped += self.pending.len() as u64;
            self.pending.clear();
        }
        self.next_line += 1;
        self.lost.lines += 1;
        *self
            .lost
            .skipped
            .entry("line longer than 1 MiB".into())
            .or_default() += 1;
        // One entry for the first: the count of all is in `skipped`.
        if self.lost.skipped["line longer than 1 MiB"] == 1 {
            self.lost.damaged.push(Localized::new(
                format!(
                    "1 MiB を超える行を読み飛ばしました（最初は {line} 行目、{} MiB）",
                    dropped >> 20
                ),
                format!(
                    "lines longer than 1 MiB were skipped (the first at line {line}, {} MiB)",
                    dropped >> 20
                ),
            ));
        }
    }
}
