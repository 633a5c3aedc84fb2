//! Suspicious-mail triage (`mamori mail check`): reads `.eml`, Outlook `.msg` and mbox files,
//! judges each mail by fixed rules and gives a verdict — 危険 / 注意 / 問題なし, or 未確認 when
//! the bytes could not be read as a mail (never 問題なし for what was not read).
//!
//! Data flows one way: [`source`] finds the mails in files (an mbox holds many; a `.msg` is
//! turned into the same MIME text), [`mail`] parses one into a [`Mail`], [`rules`] turn it into
//! reasons, [`check`] into findings and a [`Verdict`]. Nothing here prints, stores or opens an
//! attachment: attachments are hashed and looked into in memory.

pub mod attach;
pub mod context;
pub mod digest;
pub mod links;
pub mod mail;
pub mod msg;
pub mod rules;
pub mod source;

use mamori_model::evidence::Evidence;
use mamori_model::{Finding, Lang, Localized, Severity, SourceRef, Subject, SubjectKind};

pub use context::MailContext;
pub use mail::{Mail, parse_mail};
pub use rules::{MailRule, RULES, Reason};

/// What mamori says about one mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Nothing found.
    Clean,
    /// Worth a careful look before opening anything (a Medium reason).
    Caution,
    /// Do not open: a High reason.
    Danger,
    /// The bytes could not be read as a mail: nothing is known.
    Unread,
}

impl Verdict {
    /// 危険, 注意, 問題なし, 未確認 — or the English words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Danger, Lang::Ja) => "危険",
            (Verdict::Caution, Lang::Ja) => "注意",
            (Verdict::Clean, Lang::Ja) => "問題なし",
            (Verdict::Unread, Lang::Ja) => "未確認",
            (Verdict::Danger, Lang::En) => "dangerous",
            (Verdict::Caution, Lang::En) => "suspicious",
            (Verdict::Clean, Lang::En) => "no problem found",
            (Verdict::Unread, Lang::En) => "not read",
        }
    }

    /// The name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Danger => "danger",
            Verdict::Caution => "caution",
            Verdict::Clean => "clean",
            Verdict::Unread => "unread",
        }
    }
}

/// One mail checked: what was read, the verdict, and the findings behind it.
#[derive(Clone, Debug)]
pub struct MailCheck {
    /// The mail as read.
    pub mail: Mail,
    /// The verdict.
    pub verdict: Verdict,
    /// One finding per rule that had something to say, most severe first.
    pub findings: Vec<Finding>,
}

/// Runs every rule on one mail.
pub fn check(mail: Mail, ctx: &MailContext) -> MailCheck {
    if !mail.readable {
        return MailCheck {
            mail,
            verdict: Verdict::Unread,
            findings: Vec::new(),
        };
    }
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter_map(|rule| {
            let reasons = (rule.run)(&mail, ctx);
            finding_of(rule, &mail, &reasons)
        })
        .collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let worst = findings.iter().map(|f| f.severity).max();
    let verdict = match worst {
        Some(s) if s >= Severity::High => Verdict::Danger,
        Some(Severity::Medium) => Verdict::Caution,
        _ => Verdict::Clean,
    };
    MailCheck {
        mail,
        verdict,
        findings,
    }
}

fn finding_of(rule: &MailRule, mail: &Mail, reasons: &[Reason]) -> Option<Finding> {
    let severity = reasons.iter().map(|r| r.severity).max()?;
    let subject = Subject::new(SubjectKind::Mail, mail.key(), mail.subject.clone());
    let message = Localized::new(
        reasons
            .iter()
            .map(|r| r.ja.as_str())
            .collect::<Vec<_>>()
            .join("。"),
        reasons
            .iter()
            .map(|r| r.en.as_str())
            .collect::<Vec<_>>()
            .join(". "),
    );
    let from = mail.from.as_ref();
    let mut evidence = Evidence::default()
        .fact("file", mail.source.clone())
        .fact("from", from.map(|f| f.address.clone()).unwrap_or_default())
        .fact(
            "from_name",
            from.map(|f| f.name.clone()).unwrap_or_default(),
        )
        .fact("sha256", mail.sha256.clone())
        .source(SourceRef {
            file: mail.source.clone(),
            ..SourceRef::default()
        });
    if rule.info.id == "mail.dangerous-attachment" {
        let hashes: Vec<String> = mail
            .attachments
            .iter()
            .filter(|a| !a.dangers.is_empty() || a.encrypted_archive || a.opaque_archive)
            .map(|a| format!("{}  {}", a.sha256, a.name))
            .collect();
        evidence = evidence.fact("attachments", hashes);
    }
    Some(rule.info.finding(subject, severity, message, evidence))
}
