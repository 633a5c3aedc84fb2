//! `mail.urgent-lure`: pressure to act at once — account suspension, deadlines, prizes, unpaid
//! bills — in Japanese and English. Weighted; on its own never more than 注意, since real
//! notices use some of the same words.

use mamori_model::Severity;

use super::{MEASURES, MailRule, Reason, Text};
use crate::context::MailContext;
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.urgent-lure",
        default_severity: Severity::Medium,
        title: Text {
            ja: "急がせる・不安をあおる文面",
            en: "Urgent or alarming wording",
        },
        rationale: Text {
            ja: "「アカウントを停止します」「24時間以内に」「当選しました」など、急がせたり不安をあおったりする文面は、考える前にリンクを開かせるためのものです。",
            en: "\"Your account will be suspended\", \"within 24 hours\", \"you have won\": pressure makes people click before they think.",
        },
        remediation: Text {
            ja: "急いで対応せず、差出人やリンク先をよく確かめてください。心当たりのないものは開かずに削除し、迷ったらシステム管理者に相談してください。",
            en: "Do not hurry; check the sender and where links go. Delete what you did not expect; ask the administrator when unsure.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

/// Phrases and their weights. Strong ones (a threat, a deadline, a prize) weigh 2–3; words a
/// real notice also uses weigh 1.
const PHRASES: &[(&str, u32)] = &[
    ("アカウントを停止", 3),
    ("アカウントが停止", 3),
    ("利用停止", 2),
    ("一時停止", 2),
    ("凍結", 2),
    ("ロックされ", 2),
    ("24時間以内", 3),
    ("２４時間以内", 3),
    ("48時間以内", 3),
    ("本日中", 2),
    ("至急", 1),
    ("緊急", 1),
    ("重要なお知らせ", 1),
    ("不正なログイン", 2),
    ("不正アクセス", 1),
    ("異常なログイン", 2),
    ("本人確認", 2),
    ("情報を更新", 2),
    ("パスワードを再設定", 2),
    ("支払いが確認できません", 3),
    ("未払い", 2),
    ("お支払い方法", 1),
    ("当選", 3),
    ("プレゼント", 1),
    ("ポイントが失効", 3),
    ("法的措置", 3),
    ("urgent", 2),
    ("immediately", 2),
    ("immediate action", 3),
    ("action required", 3),
    ("suspended", 3),
    ("suspension", 2),
    ("locked", 2),
    ("within 24 hours", 3),
    ("within 48 hours", 3),
    ("final notice", 3),
    ("last chance", 2),
    ("expire", 2),
    ("verify your", 2),
    ("confirm your", 2),
    ("unusual sign", 3),
    ("tried to log in", 3),
    ("tried to sign in", 3),
    ("log in to your account", 2),
    ("ログインがありました", 2),
    ("unusual activity", 3),
    ("security alert", 2),
    ("compromised", 3),
    ("on hold", 2),
    ("unpaid", 2),
    ("overdue", 2),
    ("invoice", 1),
    ("payment", 1),
    ("winner", 3),
    ("you have won", 3),
    ("congratulations", 2),
    ("reward", 2),
    ("gift card", 3),
    ("free", 1),
    ("claim", 2),
    ("airdrop", 3),
    ("password", 1),
];

/// The weight at which the wording alone is worth a look.
const THRESHOLD: u32 = 4;
/// Foreign money offered (`+$4,811`, `€ 500`, `5,000 BUSD`): prizes and refunds.
const MONEY_WEIGHT: u32 = 2;

/// Common short words of the European languages phishing is written in besides English
/// (Portuguese, Spanish, German, Dutch, French, Italian), with spaces around them.
const FOREIGN_WORDS: &[&str] = &[
    " de ", " da ", " do ", " que ", " não ", " você ", " para ", " com ", " seu ", " sua ",
    " uma ", " el ", " los ", " las ", " por ", " usted ", " der ", " die ", " und ", " ist ",
    " nicht ", " sie ", " ihr ", " het ", " een ", " van ", " voor ", " jij ", " niet ", " le ",
    " les ", " des ", " vous ", " votre ", " est ", " pas ", " il ", " di ", " che ", " per ",
    " em ", " na ", " ao ", " seus ", " pelo ", " en ", " con ", " mit ", " auf ", " zu ", " ein ",
    " op ", " et ", " du ", " au ",
];
const ENGLISH_WORDS: &[&str] = &[
    " the ", " and ", " you ", " your ", " to ", " of ", " is ", " for ", " this ", " with ",
];

fn run(mail: &Mail, _ctx: &MailContext) -> Vec<Reason> {
    let text = format!("{}\n{}", mail.subject, mail.text).to_lowercase();
    let mut reasons = Vec::new();
    if let Some(reason) = foreign_language(&text) {
        reasons.push(reason);
    }
    let mut found: Vec<&str> = Vec::new();
    let mut weight = 0;
    for (phrase, w) in PHRASES {
        if text.contains(phrase) {
            found.push(phrase);
            weight += w;
        }
    }
    if let Some(amount) = foreign_money(&text) {
        found.push(amount);
        weight += MONEY_WEIGHT;
    }
    if weight < THRESHOLD {
        return reasons;
    }
    let list = found
        .iter()
        .take(6)
        .map(|p| format!("「{p}」"))
        .collect::<String>();
    reasons.push(Reason::new(
        Severity::Medium,
        format!("急がせる・不安をあおる言葉があります: {list}"),
        format!(
            "Pressure words: {}",
            found.iter().take(6).copied().collect::<Vec<_>>().join(", ")
        ),
    ));
    reasons
}

/// A mail in neither Japanese nor English: mamori's word lists cannot read it, and a Japanese
/// medical institution rarely gets real mail in Portuguese or Dutch.
fn foreign_language(text: &str) -> Option<Reason> {
    let japanese = text
        .chars()
        .filter(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}'))
        .count();
    if japanese > 20 {
        return None;
    }
    let spaced = format!(
        " {} ",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let foreign = FOREIGN_WORDS.iter().filter(|w| spaced.contains(*w)).count();
    let english = ENGLISH_WORDS.iter().filter(|w| spaced.contains(*w)).count();
    (foreign >= 4 && foreign > english).then(|| {
        Reason::new(
            Severity::Medium,
            "日本語でも英語でもない文面です（心当たりのない外国語のメールはほとんどが詐欺か迷惑メールで、文面の中身は確かめられません）",
            "Written in neither Japanese nor English: unexpected mail in another language is almost always fraud or spam (its wording could not be checked)",
        )
    })
}

/// `$4,811`, `€500`, `R$ 1.200`, `5,000 busd`: a sum in a foreign currency.
fn foreign_money(text: &str) -> Option<&'static str> {
    let bytes: Vec<char> = text.chars().collect();
    for (i, c) in bytes.iter().enumerate() {
        if matches!(c, '$' | '€' | '£') {
            let next = bytes[i + 1..].iter().find(|c| **c != ' ');
            if next.is_some_and(char::is_ascii_digit) {
                return Some("外貨の金額");
            }
        }
    }
    ["usdt", "busd", "btc", "bitcoin", "crypto"]
        .iter()
        .any(|w| text.contains(w))
        .then_some("暗号資産")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(subject: &str, text: &str) -> Mail {
        Mail {
            subject: subject.into(),
            text: text.into(),
            readable: true,
            ..Mail::default()
        }
    }

    #[test]
    fn pressure_counts_ordinary_words_do_not() {
        let ctx = MailContext::default();
        assert!(
            !run(
                &mail(
                    "【重要】アカウントを停止しました",
                    "24時間以内に本人確認を行ってください"
                ),
                &ctx
            )
            .is_empty()
        );
        assert!(
            run(
                &mail(
                    "定例会議の議事録",
                    "ご確認ください。よろしくお願いいたします。"
                ),
                &ctx
            )
            .is_empty()
        );
        let money = run(&mail("Confirm your account", "Hi +$4,811 waiting"), &ctx);
        assert_eq!(money.len(), 1, "money and a confirmation: {money:?}");
        let dutch = run(
            &mail(
                "Prachtige",
                "Heb je ooit gedroomd van het ontmoeten van een partner? Ontdek de liefde op ons platform voor jij en niet alleen",
            ),
            &ctx,
        );
        assert!(dutch[0].ja.contains("外国語"));
        let one = run(
            &mail(
                "URGENT: Security Compromised - IMMEDIATE ACTION REQUIRED",
                "",
            ),
            &ctx,
        );
        assert!(
            one.iter().all(|r| r.severity == Severity::Medium),
            "never more than 注意 alone"
        );
    }
}
