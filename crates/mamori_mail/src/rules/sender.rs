//! `mail.sender-mismatch`: the sender is not who the mail says — a display name borrowing a
//! brand, the institution, a vendor or a colleague while the address is elsewhere; another
//! address written into the display name; replies diverted to another domain; an
//! organisation's name on a free-mail address.

use mamori_model::Severity;
use mamori_vuln::blocklist::registrable_domain;

use super::{MEASURES, MailRule, Reason, Text};
use crate::context::{MailContext, Party, brands, is_free_mail, names, same_party};
use crate::mail::{Mail, Mailbox};

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.sender-mismatch",
        default_severity: Severity::High,
        title: Text {
            ja: "差出人のなりすまし",
            en: "Sender impersonation",
        },
        rationale: Text {
            ja: "差出人の表示名は誰でも自由に書けます。銀行や取引先、院長や同僚の名前を表示しながら別のアドレスから送る、返信先だけを別のドメインにする、といった手口で、偽の請求や情報の送付を求めます。",
            en: "Anyone can write any display name. Showing a bank's, a partner's or a colleague's name from another address, or diverting replies to another domain, is how fake invoices and requests for data are sent.",
        },
        remediation: Text {
            ja: "返信せず、リンクや添付も開かないでください。名前の相手に、電話など普段の連絡方法で確かめてください。振込先の変更や個人情報の送付を求めるメールは、必ず確認してから対応してください。",
            en: "Do not reply or open anything; check with the named person through the usual channel (phone). Never act on a request to change bank details or send data without checking.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

/// Words an organisation's sender name carries (a person's does not).
const ORGANISATION_WORDS: &[&str] = &[
    "support",
    "team",
    "service",
    "security",
    "account",
    "notification",
    "admin",
    "billing",
    "customer",
    "helpdesk",
    "help desk",
    "no-reply",
    "noreply",
    "center",
    "centre",
    "bank",
    "official",
    "department",
    "office",
    "delivery",
    "payment",
    "お知らせ",
    "事務局",
    "サポート",
    "カスタマー",
    "センター",
    "窓口",
    "運営",
    "管理者",
    "銀行",
    "カード",
    "株式会社",
    "公式",
    "通知",
    "配送",
];

fn run(mail: &Mail, ctx: &MailContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let Some(from) = &mail.from else {
        return reasons;
    };
    if let Some(reason) = address_in_name(from) {
        reasons.push(reason);
    }
    if let Some(reason) = borrowed_name(from, ctx) {
        reasons.push(reason);
    } else if is_free_mail(&from.domain) && organisation_name(&from.name) {
        reasons.push(Reason::new(
            Severity::Medium,
            format!(
                "組織を名乗る差出人「{}」が、誰でも作れるフリーメール（{}）から送っています",
                from.name, from.domain
            ),
            format!(
                "The sender \"{}\" names an organisation but writes from a free-mail address ({})",
                from.name, from.domain
            ),
        ));
    }
    let from_registrable = registrable_domain(&from.domain);
    for reply in &mail.reply_to {
        if !reply.domain.is_empty() && registrable_domain(&reply.domain) != from_registrable {
            reasons.push(Reason::new(
                Severity::Medium,
                format!(
                    "返信先（{}）が差出人のドメイン（{}）と違います",
                    reply.address, from.domain
                ),
                format!(
                    "Replies go to {}, not to the sender's domain ({})",
                    reply.address, from.domain
                ),
            ));
        }
    }
    if let Some(rp) = &mail.return_path {
        let rp_domain = rp.rsplit_once('@').map_or("", |(_, d)| d);
        if !rp_domain.is_empty() && registrable_domain(rp_domain) != from_registrable {
            reasons.push(Reason::new(
                Severity::Low,
                format!("参考: 送信元（Return-Path: {rp}）が差出人のドメインと違います（配信サービスでは普通のことです）"),
                format!("Note: the return path ({rp}) differs from the sender's domain (ordinary for mailing services)"),
            ));
        }
    }
    reasons
}

/// `"alice@bank.example" <bob@elsewhere.example>`: the name shows another address.
fn address_in_name(from: &Mailbox) -> Option<Reason> {
    let shown = from
        .name
        .split(|c: char| c.is_whitespace() || "<>()\"'[],;".contains(c))
        .find(|w| w.contains('@') && w.contains('.'))?
        .to_lowercase();
    (shown != from.address).then(|| {
        Reason::new(
            Severity::High,
            format!(
                "差出人の名前に別のアドレス（{shown}）が書かれていますが、実際の差出人は {} です",
                from.address
            ),
            format!(
                "The sender's name shows another address ({shown}); the mail is from {}",
                from.address
            ),
        )
    })
}

/// A display name naming a brand, the institution, a partner or a colleague, sent from an
/// address that is not theirs.
fn borrowed_name(from: &Mailbox, ctx: &MailContext) -> Option<Reason> {
    let check = |party: &Party, severity: Severity| -> Option<Reason> {
        let name = party.names.iter().find(|n| names(&from.name, n))?;
        let theirs = if party.domains.is_empty() {
            !is_free_mail(&from.domain)
        } else {
            same_party(&from.domain, &party.domains)
        };
        (!theirs).then(|| {
            Reason::new(
                severity,
                format!("差出人の名前は「{name}」ですが、{name}のものではないアドレス（{}）から送られています", from.address),
                format!("The sender's name says \"{name}\" but the address ({}) is not theirs", from.address),
            )
        })
    };
    let staff = Party {
        names: ctx.staff.clone(),
        domains: ctx.institution.domains.clone(),
    };
    check(&ctx.institution, Severity::High)
        .or_else(|| ctx.partners.iter().find_map(|p| check(p, Severity::High)))
        .or_else(|| brands().iter().find_map(|b| check(b, Severity::High)))
        .or_else(|| check(&staff, Severity::Medium))
}

/// A name an organisation writes, not a person: its words, a reference number
/// (`Protocolo: 57188720698041`), brackets.
fn organisation_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let digits = lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 5);
    digits
        || lower.contains(['[', ']', '【', '】'])
        || ORGANISATION_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(name: &str, address: &str) -> Mail {
        Mail {
            from: Some(Mailbox {
                name: name.to_owned(),
                address: address.to_owned(),
                domain: address.rsplit_once('@').unwrap().1.to_owned(),
            }),
            readable: true,
            ..Mail::default()
        }
    }

    #[test]
    fn borrowed_names_and_honest_ones() {
        let ctx = MailContext {
            institution: Party {
                names: vec!["みなと病院".into()],
                domains: vec!["minato-hp.jp".into()],
            },
            staff: vec!["山田 花子".into()],
            ..MailContext::default()
        };
        let cases = [
            (
                "Microsoft account team",
                "x@dadaevczn3.com",
                Some(Severity::High),
            ),
            (
                "Microsoft",
                "account-security-noreply@accountprotection.microsoft.com",
                None,
            ),
            ("みなと病院 事務局", "info@minato-hp.jp", None),
            (
                "みなと病院 事務局",
                "minato.hp@gmail.com",
                Some(Severity::High),
            ),
            (
                "山田 花子",
                "hanako.yamada@gmail.com",
                Some(Severity::Medium),
            ),
            (
                "Support <rodrigo@hotmail.com>",
                "x@17boz.onmicrosoft.com",
                Some(Severity::High),
            ),
            (
                "Customer Support",
                "help.desk.1990@gmail.com",
                Some(Severity::Medium),
            ),
            ("佐藤 一郎", "ichiro.sato@gmail.com", None),
        ];
        for (name, address, want) in cases {
            let got = run(&from(name, address), &ctx)
                .iter()
                .map(|r| r.severity)
                .max();
            assert_eq!(got, want, "{name} <{address}>");
        }
    }
}
