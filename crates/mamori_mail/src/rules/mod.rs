//! The mail rules. Each file holds one `RULE`: its public id and texts, and a function from a
//! mail to the reasons it found; [`RULES`] is the one list. A rule's reasons become one finding
//! per mail, at the most severe reason's severity.
//!
//! Severities map to the verdict: High and above make a mail 危険, Medium 注意; Low is shown as
//! a note and changes nothing (a bounce domain that differs from `From:` is ordinary).

mod attachment;
mod auth;
mod blocklisted;
mod link;
mod lookalike;
mod lure;
mod sender;

use mamori_model::{RuleInfo, Severity};

use crate::context::MailContext;
use crate::mail::Mail;

pub use mamori_model::Text;

/// One reason a rule gives about a mail. Its texts are one sentence each, without a closing
/// 「。」: a finding joins its reasons with it, and the table splits them again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// How much it weighs.
    pub severity: Severity,
    /// In Japanese, plain words.
    pub ja: String,
    /// In English.
    pub en: String,
}

impl Reason {
    pub(crate) fn new(severity: Severity, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            severity,
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// A mail rule: its description and what it looks for.
pub struct MailRule {
    /// Id, texts, measures.
    pub info: RuleInfo,
    /// The reasons this rule finds in a mail (none: the rule has nothing to say).
    pub run: fn(&Mail, &MailContext) -> Vec<Reason>,
}

/// Every mail rule, in the order reasons are listed.
pub static RULES: &[&MailRule] = &[
    &attachment::RULE,
    &blocklisted::RULE,
    &link::RULE,
    &lookalike::RULE,
    &sender::RULE,
    &auth::RULE,
    &lure::RULE,
];

/// The measure every mail rule serves.
pub(crate) const MEASURES: &[&str] = &["mail.suspicious"];

/// The host names a mail points at or comes from: sender, reply-to, return path, link hosts.
pub(crate) fn mail_domains(mail: &Mail) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut push = |d: &str, role: &'static str| {
        let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
        if !d.is_empty() && !out.iter().any(|(o, _)| *o == d) {
            out.push((d, role));
        }
    };
    if let Some(from) = &mail.from {
        push(&from.domain, "from");
    }
    for r in &mail.reply_to {
        push(&r.domain, "reply-to");
    }
    if let Some(rp) = &mail.return_path {
        push(rp.rsplit_once('@').map_or("", |(_, d)| d), "return-path");
    }
    for link in &mail.links {
        if let Some(host) = &link.host {
            push(host, "link");
        }
    }
    out
}

/// "送信者" / "sender"… for a domain's role, in both languages.
pub(crate) fn role_words(role: &str) -> (&'static str, &'static str) {
    match role {
        "from" => ("差出人のドメイン", "the sender's domain"),
        "reply-to" => ("返信先のドメイン", "the reply-to domain"),
        "return-path" => (
            "送信元（Return-Path）のドメイン",
            "the return path's domain",
        ),
        _ => ("リンク先", "a link"),
    }
}
