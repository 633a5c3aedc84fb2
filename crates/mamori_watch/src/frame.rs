//! Syslog over TCP (RFC 6587): a message is either octet-counted (`LEN SP MSG`) or ends at a
//! newline; a sender may mix both. Messages longer than [`MAX_MESSAGE`] are cut there and the
//! rest of them dropped (counted), so one endless line cannot eat memory.

/// The longest message kept whole (a 64 KiB Windows event forwarded as one line fits).
pub const MAX_MESSAGE: usize = 256 * 1024;

/// Something about a frame worth counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// A whole message.
    Whole,
    /// A message longer than [`MAX_MESSAGE`]: its first part only.
    Cut,
}

/// Splits a TCP byte stream into messages.
#[derive(Default)]
pub struct Framer {
    buf: Vec<u8>,
    /// Bytes still to drop of an over-long octet-counted message.
    skip: usize,
    /// Dropping the rest of an over-long newline-framed message.
    to_newline: bool,
}

impl Framer {
    /// Takes bytes as they arrive; each complete message goes to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut dyn FnMut(&[u8], Note)) {
        self.buf.extend_from_slice(data);
        let mut at = 0;
        loop {
            let rest = &self.buf[at..];
            if self.skip > 0 {
                let n = self.skip.min(rest.len());
                self.skip -= n;
                at += n;
                if self.skip > 0 {
                    break;
                }
                continue;
            }
            if self.to_newline {
                match memchr(rest) {
                    Some(i) => {
                        at += i + 1;
                        self.to_newline = false;
                        continue;
                    }
                    None => {
                        at = self.buf.len();
                        break;
                    }
                }
            }
            match next(rest) {
                Step::Message {
                    start,
                    len,
                    consumed,
                } => {
                    out(&rest[start..start + len], Note::Whole);
                    at += consumed;
                }
                Step::TooLong { start, skip } => {
                    let end = (start + MAX_MESSAGE).min(rest.len());
                    out(&rest[start..end], Note::Cut);
                    match skip {
                        Some(n) => {
                            self.skip = n.saturating_sub(rest.len() - start);
                            at = self.buf.len().min(at + start + n);
                        }
                        None => {
                            self.to_newline = true;
                            at = self.buf.len();
                        }
                    }
                }
                Step::Empty { consumed } => at += consumed,
                Step::NeedMore => break,
            }
        }
        self.buf.drain(..at);
    }

    /// The connection closed: a last message without its newline still counts; an
    /// octet-counted one cut short by the close is handed out as cut.
    pub fn finish(&mut self, out: &mut dyn FnMut(&[u8], Note)) {
        let rest = std::mem::take(&mut self.buf);
        if self.skip > 0 || self.to_newline {
            return;
        }
        if let Some(start) = octet_prefix(&rest) {
            out(&rest[start..], Note::Cut);
            return;
        }
        let line = trim_cr(&rest);
        if !line.iter().all(u8::is_ascii_whitespace) {
            out(line, Note::Whole);
        }
    }
}

enum Step {
    Message {
        start: usize,
        len: usize,
        consumed: usize,
    },
    /// An empty line: consumed, nothing handed out.
    Empty {
        consumed: usize,
    },
    TooLong {
        start: usize,
        skip: Option<usize>,
    },
    NeedMore,
}

/// Where the message starts after an octet count (`123 `), if `b` begins with one.
fn octet_prefix(b: &[u8]) -> Option<usize> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0 && digits <= 10 && b.get(digits) == Some(&b' ')).then_some(digits + 1)
}

fn memchr(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn trim_cr(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r").unwrap_or(b)
}

/// The next message in `b`.
fn next(b: &[u8]) -> Step {
    if b.is_empty() {
        return Step::NeedMore;
    }
    // Octet counting: digits, a space, then exactly that many bytes.
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 10 {
        match b.get(digits) {
            None => return Step::NeedMore,
            Some(b' ') => {
                let len: usize = std::str::from_utf8(&b[..digits])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(usize::MAX);
                let start = digits + 1;
                if len > MAX_MESSAGE {
                    // Cut at the limit: wait for that much, so that the cut does not depend on
                    // how the stream was split (found by the syslog_frames fuzz target).
                    if b.len() < start + MAX_MESSAGE {
                        return Step::NeedMore;
                    }
                    return Step::TooLong {
                        start,
                        skip: Some(len),
                    };
                }
                if b.len() < start + len {
                    return Step::NeedMore;
                }
                let msg = trim_cr(
                    b[start..start + len]
                        .strip_suffix(b"\n")
                        .unwrap_or(&b[start..start + len]),
                );
                return Step::Message {
                    start,
                    len: msg.len(),
                    consumed: start + len,
                };
            }
            Some(_) => {}
        }
    }
    // Newline framing (empty lines between messages are skipped).
    match memchr(b) {
        Some(i) => {
            let line = trim_cr(&b[..i]);
            if line.iter().all(u8::is_ascii_whitespace) {
                return Step::Empty { consumed: i + 1 };
            }
            if line.len() > MAX_MESSAGE {
                return Step::TooLong {
                    start: 0,
                    skip: Some(i + 1),
                };
            }
            Step::Message {
                start: 0,
                len: line.len(),
                consumed: i + 1,
            }
        }
        None if b.len() > MAX_MESSAGE => Step::TooLong {
            start: 0,
            skip: None,
        },
        None => Step::NeedMore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(chunks: &[&[u8]]) -> Vec<(Vec<u8>, Note)> {
        let mut f = Framer::default();
        let mut out = Vec::new();
        for c in chunks {
            f.push(c, &mut |m, n| out.push((m.to_vec(), n)));
        }
        f.finish(&mut |m, n| out.push((m.to_vec(), n)));
        out
    }

    fn texts(chunks: &[&[u8]]) -> Vec<String> {
        frames(chunks)
            .into_iter()
            .map(|(m, _)| String::from_utf8(m).unwrap())
            .collect()
    }

    #[test]
    fn newline_and_octet_counted_frames_mixed_and_split_anywhere() {
        let stream = b"<34>Dec 30 01:00:00 fw a\r\n\n11 <34>hello\nx<13>1 2026-12-30T01:00:00Z h p - - - m\n<34>last";
        let whole = texts(&[stream]);
        assert_eq!(
            whole,
            [
                "<34>Dec 30 01:00:00 fw a",
                "<34>hello\nx",
                "<13>1 2026-12-30T01:00:00Z h p - - - m",
                "<34>last"
            ]
        );
        // Byte by byte gives the same.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(texts(&bytes), whole);
    }

    #[test]
    fn long_messages_are_cut_and_the_stream_goes_on() {
        let long = vec![b'a'; MAX_MESSAGE + 10];
        let mut stream = long.clone();
        stream.extend_from_slice(b"\n<34>after\n");
        let out = frames(&[&stream]);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].0.len(), out[0].1), (MAX_MESSAGE, Note::Cut));
        assert_eq!(out[1].0, b"<34>after");
        // A 64 KiB line is whole.
        let line = vec![b'b'; 64 * 1024];
        let mut stream = line.clone();
        stream.push(b'\n');
        assert_eq!(frames(&[&stream]), vec![(line, Note::Whole)]);
        // An octet count beyond the limit: cut, the rest skipped even across chunks.
        let big = format!("{} ", MAX_MESSAGE + 5);
        let mut stream = big.into_bytes();
        stream.extend(vec![b'c'; MAX_MESSAGE + 5]);
        stream.extend_from_slice(b"<34>next\n");
        let chunks: Vec<&[u8]> = stream.chunks(7000).collect();
        let out = frames(&chunks);
        assert_eq!(
            out.len(),
            2,
            "{:?}",
            out.iter().map(|o| o.0.len()).collect::<Vec<_>>()
        );
        assert_eq!(out[1].0, b"<34>next");
    }

    #[test]
    fn a_huge_octet_count_is_cut_the_same_however_the_stream_is_split() {
        // fuzz/artifacts/syslog_frames/crash-6a5c…: byte by byte, the cut was empty.
        let stream = b"\n=\n4777772 \0\x002 \0\0\0\xc3";
        let whole = frames(&[stream]);
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(frames(&bytes), whole);
        assert_eq!(whole[1], (b"\0\x002 \0\0\0\xc3".to_vec(), Note::Cut));
    }

    #[test]
    fn digits_without_a_space_are_an_ordinary_line() {
        assert_eq!(
            texts(&[b"2026-12-30 fw message\n"]),
            ["2026-12-30 fw message"]
        );
        assert_eq!(texts(&[b"99999999999 x\n"]), ["99999999999 x"]);
    }
}
