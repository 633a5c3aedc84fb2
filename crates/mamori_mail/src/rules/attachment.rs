//! `mail.dangerous-attachment`: what runs when opened (programs, scripts, shortcuts, disk
//! images, OneNote, HTML pages, Office macros), and encrypted archives — with the password in
//! the body, Emotet's way past the gateway's scanner.

use mamori_model::Severity;

use super::{MEASURES, MailRule, Reason, Text};
use crate::context::MailContext;
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.dangerous-attachment",
        default_severity: Severity::High,
        title: Text {
            ja: "危険な添付ファイル",
            en: "Dangerous attachment",
        },
        rationale: Text {
            ja: "開くだけでプログラムが動く添付ファイル（実行ファイル、スクリプト、ショートカット、マクロ付き文書、HTML など）は、ランサムウェアやエモテットの入口です。パスワード付き ZIP は、パスワードを本文に書くことで受信側の検査をすり抜けます。",
            en: "Attachments that run something when opened (programs, scripts, shortcuts, documents with macros, HTML pages) are how ransomware and Emotet get in; a password-protected ZIP with the password in the body slips past the gateway's scanner.",
        },
        remediation: Text {
            ja: "添付ファイルは開かず、メールごと削除してください。開いてしまったときは、その端末をネットワークから外し（電源は切らずに）、システム管理者に連絡してください。取引先からのメールに見えるときは、メール以外の方法（電話など）で送ったかどうかを確かめてください。",
            en: "Do not open the attachment; delete the mail. If it was opened, disconnect that PC from the network (leave it on) and call the administrator. If it seems to come from a partner, ask them by phone whether they sent it.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

/// Words that give a password in a body (パスワード: xxxx, PW: xxxx, password is …).
const PASSWORD_WORDS: &[&str] = &[
    "パスワード",
    "ﾊﾟｽﾜｰﾄﾞ",
    "password",
    "pass:",
    "pw:",
    "pw：",
    "解凍",
];

fn run(mail: &Mail, _ctx: &MailContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let text = mail.text.to_lowercase();
    let password_in_body = PASSWORD_WORDS.iter().any(|w| text.contains(w));
    for a in &mail.attachments {
        for danger in &a.dangers {
            reasons.push(Reason::new(
                Severity::High,
                format!(
                    "添付「{}」は{}です（SHA-256: {}）",
                    a.name,
                    danger.ja(),
                    a.sha256
                ),
                format!(
                    "The attachment \"{}\" is {} (SHA-256: {})",
                    a.name,
                    danger.en(),
                    a.sha256
                ),
            ));
        }
        if a.encrypted_archive {
            let (severity, ja, en) = if password_in_body {
                (
                    Severity::High,
                    "パスワード付きの圧縮ファイルで、本文にパスワードが書かれています（エモテットの手口）",
                    "is a password-protected archive with the password in the body (Emotet's way)",
                )
            } else {
                (
                    Severity::Medium,
                    "パスワード付きの圧縮ファイルで、中身を検査できません",
                    "is a password-protected archive: nothing can check what is inside",
                )
            };
            reasons.push(Reason::new(
                severity,
                format!("添付「{}」は{ja}", a.name),
                format!("The attachment \"{}\" {en}", a.name),
            ));
        } else if a.opaque_archive {
            reasons.push(Reason::new(
                Severity::Medium,
                format!("添付「{}」は中身を確認できない圧縮ファイルです", a.name),
                format!(
                    "The attachment \"{}\" is an archive mamori cannot look into",
                    a.name
                ),
            ));
        }
    }
    reasons
}
