//! `mail.lookalike-domain`: a domain made to be mistaken for a known one — one letter off
//! (`rnicrosoft`, `amaz0n`), a known domain worn as a subdomain (`paypal.com.secure.example`),
//! international characters (punycode `xn--`) — and words mixing Latin with look-alike
//! Cyrillic or Greek letters, which slip past word filters.

use mamori_model::Severity;
use mamori_vuln::blocklist::registrable_domain;

use super::{MEASURES, MailRule, Reason, Text, mail_domains, role_words};
use crate::context::{MailContext, brands};
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.lookalike-domain",
        default_severity: Severity::High,
        title: Text {
            ja: "本物に似せたドメイン",
            en: "Look-alike domain",
        },
        rationale: Text {
            ja: "一文字だけ違うドメインや、見た目の似た外国の文字を使ったドメインは、取引先や銀行、院内のドメインと見間違えさせるために取得されます。",
            en: "Domains one letter off, or written with look-alike foreign letters, are registered to be mistaken for a partner's, a bank's or the institution's own.",
        },
        remediation: Text {
            ja: "リンクや添付を開かず、返信もしないでください。本物の相手に電話など別の方法で確かめてください。院内や取引先に似せたドメインが使われたときは、取引先にも知らせてください。",
            en: "Open nothing and do not reply; check with the real party by phone. If the institution's or a partner's domain was imitated, tell the partner too.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

fn run(mail: &Mail, ctx: &MailContext) -> Vec<Reason> {
    // Each known domain's registrable domain, once per mail rather than once per domain met.
    let mut known: Vec<String> = ctx
        .known_domains()
        .chain(
            brands()
                .iter()
                .flat_map(|b| b.domains.iter().map(String::as_str)),
        )
        .filter_map(registrable_domain)
        .collect();
    known.sort_unstable();
    known.dedup();
    let mut reasons = Vec::new();
    for (domain, role) in mail_domains(mail) {
        let (ja_role, en_role) = role_words(role);
        if domain.split('.').any(|label| label.starts_with("xn--")) {
            reasons.push(Reason::new(
                Severity::High,
                format!("{ja_role} {domain} は見た目の似た外国の文字を使える国際化ドメインです"),
                format!("{en_role} {domain} is an internationalised (punycode) domain"),
            ));
        } else if let Some(imitated) = imitation(&domain, &known) {
            reasons.push(Reason::new(
                Severity::High,
                format!("{ja_role} {domain} は {imitated} に似せたドメインです"),
                format!("{en_role} {domain} imitates {imitated}"),
            ));
        }
        if reasons.len() >= 5 {
            break;
        }
    }
    let from_name = mail.from.as_ref().map_or("", |f| f.name.as_str());
    for (what_ja, what_en, text) in [
        ("差出人の名前", "The sender's name", from_name),
        ("件名", "The subject", mail.subject.as_str()),
    ] {
        if let Some(word) = mixed_script_word(text) {
            reasons.push(Reason::new(
                Severity::Medium,
                format!(
                    "{what_ja}の「{word}」に、英字に似せたキリル文字やギリシャ文字が混ざっています"
                ),
                format!(
                    "{what_en} mixes Latin with look-alike Cyrillic or Greek letters in \"{word}\""
                ),
            ));
        }
    }
    reasons
}

/// The known domain `domain` imitates, if any: not the domain itself or one of its own
/// subdomains, but one edit away (after undoing `0`→`o`, `1`→`l`, `rn`→`m`), or a known domain
/// worn in front of another (`amazon.co.jp.account-verify.example`).
fn imitation(domain: &str, known: &[String]) -> Option<String> {
    let registrable = registrable_domain(domain)?;
    let label = registrable.split('.').next()?;
    if known.contains(&registrable) {
        return None;
    }
    for k_registrable in known {
        let k_label = k_registrable.split('.').next().unwrap_or_default();
        if k_label.len() >= 5
            && (strsim::levenshtein(label, k_label) == 1 || unconfuse(label) == unconfuse(k_label))
        {
            return Some(k_registrable.clone());
        }
        let worn = domain
            .strip_suffix(&registrable)
            .is_some_and(|front| front.contains(&format!("{k_registrable}.")));
        if worn {
            return Some(k_registrable.clone());
        }
    }
    None
}

/// Undoes the usual character swaps: `0`→`o`, `1`/`i`→`l`, `rn`→`m`, `vv`→`w`.
fn unconfuse(label: &str) -> String {
    label
        .replace("rn", "m")
        .replace("vv", "w")
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | 'i' => 'l',
            '3' => 'e',
            '5' => 's',
            _ => c,
        })
        .collect()
}

/// A word with both Latin letters and Cyrillic or Greek ones (`Rеviеw` with Cyrillic `е`).
fn mixed_script_word(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .find(|word| {
            let latin = word.chars().any(|c| c.is_ascii_alphabetic());
            let foreign = word
                .chars()
                .any(|c| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}'));
            latin && foreign
        })
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imitations_are_found_and_the_real_one_is_not() {
        let known = ["microsoft.com", "amazon.co.jp", "example-hospital.jp"].map(String::from);
        assert_eq!(
            imitation("login.rnicrosoft.com", &known).as_deref(),
            Some("microsoft.com")
        );
        assert_eq!(
            imitation("amaz0n.co.jp", &known).as_deref(),
            Some("amazon.co.jp")
        );
        assert_eq!(
            imitation("examp1e-hospital.jp", &known).as_deref(),
            Some("example-hospital.jp")
        );
        assert_eq!(
            imitation("amazon.co.jp.verify-account.example", &known).as_deref(),
            Some("amazon.co.jp")
        );
        assert_eq!(imitation("mail.microsoft.com", &known), None);
        assert_eq!(imitation("example.org", &known), None);
    }

    #[test]
    fn mixed_scripts() {
        assert_eq!(
            mixed_script_word("Rеviеw Yоur Mаtchеs").as_deref(),
            Some("Rеviеw")
        );
        assert_eq!(mixed_script_word("Привет world 日本語"), None);
    }
}
