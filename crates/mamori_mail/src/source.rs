//! The mails in one file: an `.eml` is one, an mbox (`From ` lines) holds many, an Outlook
//! `.msg` is turned into MIME first. Each mail keeps where it came from (`inbox.mbox:120`).

use crate::mail::{Mail, parse_mail};
use crate::msg::msg_to_mime;

/// The OLE compound-file signature that starts every `.msg`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Every mail in the file named `name`. Never empty: bytes that hold no mail come back as one
/// unread [`Mail`] with the reason, so nothing is left out in silence.
pub fn read_mails(name: &str, bytes: &[u8]) -> Vec<Mail> {
    if bytes.starts_with(&OLE_MAGIC) {
        return vec![match msg_to_mime(bytes) {
            Ok(mime) => parse_mail(name, &mime),
            Err(problem) => unread(name, bytes, problem),
        }];
    }
    if bytes.starts_with(b"From ") {
        return mbox_mails(name, bytes);
    }
    vec![parse_mail(name, bytes)]
}

fn unread(name: &str, bytes: &[u8], problem: String) -> Mail {
    let mut mail = parse_mail(name, b"");
    mail.sha256 = crate::digest::sha256_hex(bytes);
    mail.problems = vec![problem];
    mail
}

/// Splits an mbox at its `From ` separator lines (at the start or after an empty line) and
/// undoes the `>From ` quoting of the body lines.
fn mbox_mails(name: &str, bytes: &[u8]) -> Vec<Mail> {
    let mut mails = Vec::new();
    let mut current: Option<(u64, Vec<u8>)> = None;
    let mut previous_empty = true;
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = index as u64 + 1;
        if previous_empty && line.starts_with(b"From ") {
            if let Some((start, raw)) = current.take() {
                mails.push(parse_mail(&format!("{name}:{start}"), &raw));
            }
            current = Some((number + 1, Vec::new()));
            previous_empty = false;
            continue;
        }
        previous_empty = line == b"\n" || line == b"\r\n";
        if let Some((_, raw)) = current.as_mut() {
            let unquoted = line.strip_prefix(b">").filter(|l| {
                let l = l
                    .iter()
                    .position(|&b| b != b'>')
                    .map_or(&l[..0], |p| &l[p..]);
                l.starts_with(b"From ")
            });
            raw.extend_from_slice(unquoted.unwrap_or(line));
        }
    }
    if let Some((start, raw)) = current.take() {
        mails.push(parse_mail(&format!("{name}:{start}"), &raw));
    }
    mails
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_mbox_holds_each_mail_with_its_line() {
        let mbox = b"From a@x.jp Mon Dec  1 09:00:00 2026\nFrom: a@x.jp\nSubject: one\n\nhello\n>From the start\n\nFrom b@y.jp Mon Dec  1 10:00:00 2026\nFrom: b@y.jp\nSubject: two\n\nbye\n";
        let mails = read_mails("in.mbox", mbox);
        let got: Vec<(&str, &str)> = mails
            .iter()
            .map(|m| (m.source.as_str(), m.subject.as_str()))
            .collect();
        assert_eq!(got, [("in.mbox:2", "one"), ("in.mbox:9", "two")]);
        assert!(mails[0].text.contains("From the start") && !mails[0].text.contains(">From"));
    }

    /// An Outlook `.msg` made the way Outlook stores one: internet headers, a body and an
    /// attachment as MAPI property streams.
    fn outlook_msg(headers: &str, body: &str, attachment: (&str, &[u8])) -> Vec<u8> {
        use std::io::Write;
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        let storage = "/__attach_version1.0_#00000000";
        ole.create_storage(storage).unwrap();
        for (path, bytes) in [
            ("/__substg1.0_007D001F".to_owned(), utf16(headers)),
            ("/__substg1.0_1000001F".to_owned(), utf16(body)),
            (
                format!("{storage}/__substg1.0_3707001F"),
                utf16(attachment.0),
            ),
            (
                format!("{storage}/__substg1.0_37010102"),
                attachment.1.to_vec(),
            ),
        ] {
            ole.create_stream(&path).unwrap().write_all(&bytes).unwrap();
        }
        ole.flush().unwrap();
        ole.into_inner().into_inner()
    }

    #[test]
    fn an_outlook_msg_reads_like_the_mail_it_holds() {
        let headers = "Authentication-Results: mx.clinic.jp; spf=fail\r\nFrom: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\r\nSubject: =?UTF-8?B?6KuL5rGC5pu4?=\r\nContent-Type: multipart/alternative; boundary=\"orig\"\r\n\r\n";
        let bytes = outlook_msg(
            headers,
            "添付をご確認ください",
            ("請求書.pdf.exe", b"MZ\x90\x00"),
        );
        let mails = read_mails("請求書.msg", &bytes);
        let mail = &mails[0];
        assert!(mail.readable, "{:?}", mail.problems);
        assert_eq!(mail.subject, "請求書");
        assert_eq!(mail.from.as_ref().unwrap().name, "山田");
        assert_eq!(mail.auth[0].result, "fail");
        assert!(mail.text.contains("添付をご確認ください"));
        assert_eq!(mail.attachments.len(), 1);
        assert_eq!(mail.attachments[0].name, "請求書.pdf.exe");
        assert!(!mail.attachments[0].dangers.is_empty());
    }

    #[test]
    fn a_damaged_msg_is_kept_unread() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.extend_from_slice(&[0; 100]);
        let mails = read_mails("x.msg", &bytes);
        assert_eq!(mails.len(), 1);
        assert!(!mails[0].readable && mails[0].problems[0].contains(".msg"));
    }
}
