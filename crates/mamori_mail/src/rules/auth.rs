//! `mail.auth-failed`: the receiving server's `Authentication-Results` say SPF, DKIM or DMARC
//! failed, or that the sender's domain proved nothing at all.

use mamori_model::Severity;

use super::{MEASURES, MailRule, Reason, Text};
use crate::context::{MailContext, brands, same_party};
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.auth-failed",
        default_severity: Severity::Medium,
        title: Text {
            ja: "送信元の認証に失敗",
            en: "Sender authentication failed",
        },
        rationale: Text {
            ja: "SPF・DKIM・DMARC は、差出人のドメインが本当にそのメールを送ったかを受信側で確かめる仕組みです。失敗したメールは、差出人を偽っている可能性があります。",
            en: "SPF, DKIM and DMARC let the receiving server check that the sender's domain really sent the mail; a failure means the sender may be forged.",
        },
        remediation: Text {
            ja: "差出人を信用せず、リンクや添付を開かないでください。取引先や院内の名前のときは、電話など別の方法で確かめてください。院内のドメインで失敗しているときは、自院の SPF・DKIM・DMARC の設定を見直してください。",
            en: "Do not trust the sender; open no link or attachment. If it carries a partner's or the institution's name, check by phone. If the institution's own domain fails, review its SPF, DKIM and DMARC records.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

const FAILURES: &[&str] = &["fail", "softfail", "permerror"];

fn run(mail: &Mail, ctx: &MailContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if mail.auth.is_empty() {
        return reasons;
    }
    let from_domain = mail.from.as_ref().map_or("", |f| f.domain.as_str());
    // A domain that surely signs its mail: the institution, a partner, a known brand.
    let should_pass = !from_domain.is_empty()
        && (ctx.is_own(from_domain)
            || ctx
                .partners
                .iter()
                .any(|p| same_party(from_domain, &p.domains))
            || brands().iter().any(|b| same_party(from_domain, &b.domains)));
    for result in &mail.auth {
        if !FAILURES.contains(&result.result.as_str()) {
            continue;
        }
        let method = result.method.to_ascii_uppercase();
        let severity = if result.method == "dmarc" && should_pass {
            Severity::High
        } else {
            Severity::Medium
        };
        reasons.push(Reason::new(
            severity,
            format!("受信サーバーの判定で {method} が {} でした", result.result),
            format!("The receiving server found {method} = {}", result.result),
        ));
    }
    let proved_nothing = ["spf", "dkim", "dmarc"].iter().all(|m| {
        mail.auth
            .iter()
            .find(|r| r.method == *m)
            .is_none_or(|r| r.result == "none")
    });
    if proved_nothing {
        let severity = if should_pass {
            Severity::High
        } else {
            Severity::Medium
        };
        reasons.push(Reason::new(
            severity,
            format!("差出人のドメイン（{from_domain}）は SPF・DKIM・DMARC のどれでも確かめられませんでした"),
            format!("The sender's domain ({from_domain}) passed none of SPF, DKIM and DMARC"),
        ));
    }
    reasons
}
