//! Outlook `.msg` files (OLE compound files of MAPI properties) turned into the MIME text of the
//! same mail, so that one parser and one set of rules read both. The internet headers Outlook
//! keeps (`PR_TRANSPORT_MESSAGE_HEADERS`) are used as they are; the bodies and attachments come
//! from their properties.

use std::io::{Cursor, Read};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The largest property stream read (an attachment beyond it is cut, and said so).
const MAX_STREAM: u64 = 64 << 20;
/// Attachments read from one `.msg`.
const MAX_ATTACHMENTS: usize = 100;
const BOUNDARY: &str = "mamori-msg-part-boundary";

type Ole<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// The `.msg` as MIME, or why it could not be read.
pub fn msg_to_mime(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut ole = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| format!("Outlook の .msg として読めません: {e}"))?;
    let mut out = String::new();
    match text_property(&mut ole, "/", "007D") {
        Some(headers) if !headers.trim().is_empty() => {
            out.push_str(&without_mime_headers(&headers))
        }
        _ => {
            let name = text_property(&mut ole, "/", "0C1A").unwrap_or_default();
            let address = text_property(&mut ole, "/", "0C1F")
                .or_else(|| text_property(&mut ole, "/", "5D01"))
                .unwrap_or_default();
            out.push_str(&format!("From: {} <{address}>\r\n", encoded_word(&name)));
            let subject = text_property(&mut ole, "/", "0037").unwrap_or_default();
            out.push_str(&format!("Subject: {}\r\n", encoded_word(&subject)));
        }
    }
    out.push_str(&format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{BOUNDARY}\"\r\n\r\n"
    ));
    if let Some(body) = text_property(&mut ole, "/", "1000") {
        push_part(&mut out, "text/plain; charset=utf-8", None, body.as_bytes());
    }
    let html = binary_property(&mut ole, "/", "1013")
        .or_else(|| text_property(&mut ole, "/", "1013").map(String::into_bytes));
    if let Some(html) = html {
        push_part(&mut out, "text/html; charset=utf-8", None, &html);
    }
    for storage in attachment_storages(&ole) {
        let name = text_property(&mut ole, &storage, "3707")
            .or_else(|| text_property(&mut ole, &storage, "3704"))
            .unwrap_or_default();
        let data = binary_property(&mut ole, &storage, "3701").unwrap_or_default();
        let mime = text_property(&mut ole, &storage, "370E")
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        push_part(&mut out, &mime, Some(&name), &data);
    }
    out.push_str(&format!("--{BOUNDARY}--\r\n"));
    Ok(out.into_bytes())
}

/// The attachment storages (`__attach_version1.0_#00000000`…), in order.
fn attachment_storages(ole: &Ole<'_>) -> Vec<String> {
    let mut names: Vec<String> = ole
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
        .map(|e| format!("/{}", e.name()))
        .collect();
    names.sort();
    names.truncate(MAX_ATTACHMENTS);
    names
}

fn read_stream(ole: &mut Ole<'_>, path: &str) -> Option<Vec<u8>> {
    let stream = ole.open_stream(path).ok()?;
    let mut out = Vec::new();
    stream.take(MAX_STREAM).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A string property: UTF-16LE (`001F`), else 8-bit (`001E`, read as UTF-8 or CP932).
fn text_property(ole: &mut Ole<'_>, storage: &str, id: &str) -> Option<String> {
    let base = storage.trim_end_matches('/');
    if let Some(bytes) = read_stream(ole, &format!("{base}/__substg1.0_{id}001F")) {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return Some(
            String::from_utf16_lossy(&units)
                .trim_end_matches('\0')
                .to_owned(),
        );
    }
    let bytes = read_stream(ole, &format!("{base}/__substg1.0_{id}001E"))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned(),
    };
    Some(text.trim_end_matches('\0').to_owned())
}

fn binary_property(ole: &mut Ole<'_>, storage: &str, id: &str) -> Option<Vec<u8>> {
    let base = storage.trim_end_matches('/');
    read_stream(ole, &format!("{base}/__substg1.0_{id}0102"))
}

/// The transport headers without the MIME headers of the original (its boundary is not ours).
fn without_mime_headers(headers: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in headers.lines() {
        if line.is_empty() {
            break;
        }
        let continued = line.starts_with([' ', '\t']);
        if !continued {
            let name = line
                .split(':')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            skipping = name.starts_with("content-") || name == "mime-version";
        }
        if !skipping {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out
}

fn encoded_word(text: &str) -> String {
    if text.is_ascii() {
        text.replace(['\r', '\n'], " ")
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(text.as_bytes()))
    }
}

fn push_part(out: &mut String, content_type: &str, name: Option<&str>, body: &[u8]) {
    let content_type = content_type.replace(['\r', '\n', '"'], "");
    out.push_str(&format!("--{BOUNDARY}\r\nContent-Type: {content_type}"));
    if let Some(name) = name {
        let name = encoded_word(&name.replace('"', ""));
        out.push_str(&format!(
            "; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\""
        ));
    }
    out.push_str("\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    let encoded = STANDARD.encode(body);
    for chunk in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
}
