//! One mail as the rules see it: who sent it (and who it claims to be), what the receiving
//! server said about its authentication, its text, its links and its attachments. Parsed with
//! `mail-parser` (encoded words, ISO-2022-JP, Shift_JIS/CP932, EUC-JP, UTF-8); a mail that
//! cannot be parsed is kept with a problem instead of being dropped.

use crate::attach::{Attachment, inspect_attachment};
use crate::digest::sha256_hex;
use crate::links::{Link, links_in_html, links_in_text};
use mail_parser::{Address, HeaderName, MessageParser, MimeHeaders, PartType};

/// The body text kept per mail for the word rules (beyond it, nothing more is read).
const MAX_TEXT: usize = 256 * 1024;
/// Links kept per mail.
const MAX_LINKS: usize = 500;
/// Attachments inspected per mail.
const MAX_ATTACHMENTS: usize = 100;

/// A name and an address, as a `From:` or `Reply-To:` gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, decoded (`山田太郎`, `Microsoft account team`).
    pub name: String,
    /// The address, lowercase.
    pub address: String,
    /// The domain of the address, lowercase (empty when the address has none).
    pub domain: String,
}

impl Mailbox {
    fn new(name: &str, address: &str) -> Self {
        let address = address.trim().trim_matches(['<', '>']).to_lowercase();
        let domain = address
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('.').to_owned())
            .unwrap_or_default();
        Self {
            name: name.trim().trim_matches('"').trim().to_owned(),
            address,
            domain,
        }
    }
}

/// One authentication method's result, as the receiving server wrote it in
/// `Authentication-Results` (`spf=fail`, `dkim=pass`, `dmarc=none`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthResult {
    /// `spf`, `dkim` or `dmarc`.
    pub method: &'static str,
    /// The result word, lowercase (`pass`, `fail`, `softfail`, `none`, `permerror`…).
    pub result: String,
}

/// What mamori read of one mail.
#[derive(Clone, Debug, Default)]
pub struct Mail {
    /// Where it came from: the file, or `file:LINE` for a mail inside an mbox.
    pub source: String,
    /// SHA-256 of the raw mail: its key when it has no Message-ID.
    pub sha256: String,
    /// `Message-ID`, without the angle brackets.
    pub message_id: Option<String>,
    /// The subject, decoded.
    pub subject: String,
    /// `Date:` as RFC 3339, when readable.
    pub date: Option<String>,
    /// The first `From:` mailbox.
    pub from: Option<Mailbox>,
    /// `Reply-To:` mailboxes.
    pub reply_to: Vec<Mailbox>,
    /// The `Return-Path:` (envelope sender) address, lowercase.
    pub return_path: Option<String>,
    /// The top-most result per method of `Authentication-Results` (the receiving server's own).
    pub auth: Vec<AuthResult>,
    /// Plain text of the bodies (HTML reduced to text), up to 256 KiB.
    pub text: String,
    /// Links in the bodies: HTML anchors with their shown text, and bare URLs in plain text.
    pub links: Vec<Link>,
    /// Attachments, inspected (never written out or run).
    pub attachments: Vec<Attachment>,
    /// What could not be read (undecodable charset, no headers): reported, never hidden.
    pub problems: Vec<String>,
    /// False when the bytes were not a mail at all: nothing can be said about it (未確認).
    pub readable: bool,
}

impl Mail {
    /// The key of the mail in findings: the Message-ID, else the SHA-256 of its bytes.
    pub fn key(&self) -> String {
        self.message_id
            .clone()
            .unwrap_or_else(|| format!("sha256:{}", self.sha256))
    }
}

/// Parses one mail. Never panics; a mail it cannot read comes back with `readable == false`
/// and a problem.
pub fn parse_mail(source: &str, raw: &[u8]) -> Mail {
    let mut mail = Mail {
        source: source.to_owned(),
        sha256: sha256_hex(raw),
        ..Mail::default()
    };
    let Some(message) = MessageParser::default().parse(raw) else {
        mail.problems
            .push("メールとして読めません（ヘッダーがありません）".to_owned());
        return mail;
    };
    if message.headers().is_empty() {
        mail.problems
            .push("メールとして読めません（ヘッダーがありません）".to_owned());
        return mail;
    }
    mail.readable = true;
    mail.message_id = message.message_id().map(str::to_owned);
    mail.subject = message.subject().unwrap_or_default().to_owned();
    mail.date = message.date().map(mail_parser::DateTime::to_rfc3339);
    mail.from = message.from().and_then(first_mailbox);
    mail.reply_to = message
        .reply_to()
        .map(|a| {
            a.iter()
                .map(|m| mailbox_of(m.name(), m.address()))
                .collect()
        })
        .unwrap_or_default();
    mail.return_path = message
        .return_address()
        .map(|a| a.trim().trim_matches(['<', '>']).to_lowercase())
        .filter(|a| !a.is_empty());
    mail.auth = auth_results(message.raw_message(), message.headers());
    read_parts(&message, &mut mail);
    mail
}

fn first_mailbox(address: &Address<'_>) -> Option<Mailbox> {
    address
        .first()
        .map(|m| mailbox_of(m.name(), m.address()))
        .or_else(|| {
            // A group with no members, or a name without an address: keep the name.
            address
                .as_group()
                .and_then(|g| g.first())
                .and_then(|g| g.name.as_deref())
                .map(|n| Mailbox::new(n, ""))
        })
}

fn mailbox_of(name: Option<&str>, address: Option<&str>) -> Mailbox {
    Mailbox::new(name.unwrap_or_default(), address.unwrap_or_default())
}

/// The bodies' text, links and attachments.
fn read_parts(message: &mail_parser::Message<'_>, mail: &mut Mail) {
    for (index, part) in message.parts.iter().enumerate() {
        if part.is_encoding_problem {
            mail.problems.push(format!(
                "{} 番目の部分の文字コードまたは転送符号化を読めませんでした",
                index + 1
            ));
        }
    }
    for part in message.text_bodies() {
        if let PartType::Text(text) = &part.body {
            push_text(&mut mail.text, text);
            mail.links.extend(links_in_text(text));
        }
    }
    for part in message.html_bodies() {
        if let PartType::Html(html) = &part.body {
            let (text, links) = links_in_html(html);
            push_text(&mut mail.text, &text);
            mail.links.extend(links);
        }
    }
    mail.links.truncate(MAX_LINKS);
    for part in message.attachments().take(MAX_ATTACHMENTS) {
        let name = part.attachment_name().unwrap_or_default();
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{}", c.ctype(), sub),
                None => c.ctype().to_owned(),
            })
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes: &[u8] = match &part.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => b,
            PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
            PartType::Message(m) => m.raw_message(),
            PartType::Multipart(_) => &[],
        };
        // An inline image of a newsletter is an attachment to the parser; it is kept (hashed)
        // like any other part.
        mail.attachments
            .push(inspect_attachment(name, &content_type, bytes));
    }
}

fn push_text(into: &mut String, text: &str) {
    if into.len() >= MAX_TEXT {
        return;
    }
    let room = MAX_TEXT - into.len();
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    into.push_str(&text[..end]);
    into.push('\n');
}

/// The first result of each method in the top-most `Authentication-Results` headers: the
/// receiving server adds its own on top, and a sender can forge any below it — so only the
/// headers carrying the top-most one's server id (`mx.clinic.jp;`) are read.
fn auth_results(raw: &[u8], headers: &[mail_parser::Header<'_>]) -> Vec<AuthResult> {
    let mut found: Vec<AuthResult> = Vec::new();
    let mut server: Option<String> = None;
    for header in headers
        .iter()
        .filter(|h| h.name == HeaderName::AuthenticationResults)
    {
        let (start, end) = (header.offset_start as usize, header.offset_end as usize);
        let Some(value) = raw.get(start..end) else {
            continue;
        };
        let value = String::from_utf8_lossy(value).to_ascii_lowercase();
        let id = server_id(&value);
        match &server {
            None => server = Some(id),
            Some(top) if *top != id => continue,
            Some(_) => {}
        }
        for method in ["spf", "dkim", "dmarc"] {
            if found.iter().any(|r| r.method == method) {
                continue;
            }
            if let Some(result) = result_of(&value, method) {
                found.push(AuthResult { method, result });
            }
        }
    }
    found
}

/// The authentication service id that starts the header (`mx.clinic.jp` in
/// `mx.clinic.jp; spf=pass`), empty when the header starts with a result.
fn server_id(value: &str) -> String {
    let first = value.split(';').next().unwrap_or_default().trim();
    if first.contains('=') {
        String::new()
    } else {
        first
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// `method=word` where `method` starts a token (not `header.dkim=…`, not `arc-spf=`).
fn result_of(value: &str, method: &str) -> Option<String> {
    let needle = format!("{method}=");
    let mut from = 0;
    while let Some(at) = value[from..].find(&needle) {
        let start = from + at;
        let before = value[..start].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == ';' || c == '(') {
            let word: String = value[start + needle.len()..]
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            if !word.is_empty() {
                return Some(word);
            }
        }
        from = start + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_most_authentication_result_wins() {
        let raw = b"Authentication-Results: mx.clinic.jp; spf=fail smtp.mailfrom=x.example; dkim=none\r\nAuthentication-Results: forged; spf=pass; dmarc=pass\r\nFrom: a@x.example\r\nSubject: t\r\n\r\nbody\r\n";
        let mail = parse_mail("t.eml", raw);
        let got: Vec<(&str, &str)> = mail
            .auth
            .iter()
            .map(|r| (r.method, r.result.as_str()))
            .collect();
        assert_eq!(
            got,
            [("spf", "fail"), ("dkim", "none")],
            "a header of another server below the receiver's is not read"
        );
    }

    #[test]
    fn header_dkim_is_not_a_dkim_result() {
        assert_eq!(
            result_of("dkim=pass header.d=x; header.dkim=fail", "dkim").as_deref(),
            Some("pass")
        );
        assert_eq!(result_of("arc-spf=fail", "spf"), None);
    }

    #[test]
    fn bytes_that_are_no_mail_are_kept_unread() {
        let mail = parse_mail("x", b"");
        assert!(!mail.readable && !mail.problems.is_empty());
    }
}
