//! `mamori mail check`: each mail's verdict with its reasons (table), one JSON object per mail
//! (scripts), and the short warning to circulate to staff (`--notice`).

use std::fmt::Write;

use mamori_mail::{MailCheck, Verdict};
use mamori_model::{Lang, Localized, tr};
use serde_json::json;

/// The table: most dangerous first, each reason on its own line, then the counts.
pub fn render_table(
    checks: &[MailCheck],
    skipped: &[(String, Localized)],
    lists: usize,
    lang: Lang,
    verbose: bool,
) -> String {
    let mut out = String::new();
    let w = &mut out;
    let mut order: Vec<&MailCheck> = checks.iter().collect();
    order.sort_by_key(|c| std::cmp::Reverse(rank(c.verdict)));
    for check in order {
        let mail = &check.mail;
        let subject = if mail.subject.is_empty() {
            tr(lang, "（件名なし）", "(no subject)")
        } else {
            &mail.subject
        };
        writeln!(
            w,
            "{}  {}  {subject}",
            check.verdict.label(lang),
            mail.source
        )
        .unwrap();
        if let Some(from) = &mail.from {
            let who = if from.name.is_empty() {
                from.address.clone()
            } else {
                format!("{} <{}>", from.name, from.address)
            };
            writeln!(w, "    {}: {who}", tr(lang, "差出人", "from")).unwrap();
        }
        for finding in &check.findings {
            let id = if verbose {
                format!(" [{}]", finding.rule_id)
            } else {
                String::new()
            };
            for reason in finding.message.get(lang).split(sentence_end(lang)) {
                writeln!(w, "    ・{reason}{id}").unwrap();
            }
        }
        for problem in &mail.problems {
            writeln!(
                w,
                "    ・{}{problem}",
                tr(lang, "読めなかった部分: ", "not read: ")
            )
            .unwrap();
        }
    }
    for (file, why) in skipped {
        writeln!(
            w,
            "{}  {file}: {}",
            tr(lang, "読まず", "skipped"),
            why.get(lang)
        )
        .unwrap();
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    let verdicts = [
        Verdict::Danger,
        Verdict::Caution,
        Verdict::Clean,
        Verdict::Unread,
    ]
    .map(|v| format!("{} {}", v.label(lang), count(v)))
    .join(tr(lang, "・", ", "));
    let lists_note = if lists == 0 {
        tr(
            lang,
            "ブロックリストがないため、載っているかどうかは確かめていません（mamori intel import）",
            "no blocklist loaded: listed domains were not checked (mamori intel import)",
        )
        .to_owned()
    } else {
        format!(
            "{}{lists}",
            tr(lang, "照合したブロックリスト: ", "blocklists matched: ")
        )
    };
    let mails = tr(lang, "通", "mails");
    writeln!(w, "\n{} {mails} — {verdicts}\n{lists_note}", checks.len()).unwrap();
    out
}

fn sentence_end(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "。",
        Lang::En => ". ",
    }
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Danger => 3,
        Verdict::Caution => 2,
        Verdict::Unread => 1,
        Verdict::Clean => 0,
    }
}

/// One JSON object per mail: where it came from, the verdict, who sent it, its attachments'
/// hashes and the findings (the same shape as every other finding).
pub fn render_json(checks: &[MailCheck]) -> String {
    let mut out = String::new();
    for check in checks {
        let mail = &check.mail;
        let line = json!({
            "file": mail.source,
            "verdict": check.verdict.as_str(),
            "subject": mail.subject,
            "from": mail.from.as_ref().map(|f| &f.address),
            "from_name": mail.from.as_ref().map(|f| &f.name),
            "message_id": mail.message_id,
            "sha256": mail.sha256,
            "attachments": mail.attachments.iter().map(|a| json!({
                "name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            })).collect::<Vec<_>>(),
            "problems": mail.problems,
            "findings": check.findings,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The warning to circulate to staff, about every mail judged 危険 or 注意: what arrived,
/// what not to do, what to do if it was opened, whom to tell.
pub fn render_notice(checks: &[MailCheck], site: Option<&str>, today: &str, lang: Lang) -> String {
    let suspicious: Vec<&MailCheck> = checks
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Danger | Verdict::Caution))
        .collect();
    let mut out = String::new();
    let w = &mut out;
    if suspicious.is_empty() {
        writeln!(
            w,
            "{}",
            tr(
                lang,
                "注意喚起が必要な不審なメールはありませんでした。",
                "No suspicious mail to warn about."
            )
        )
        .unwrap();
        return out;
    }
    let site = site.map(|s| format!("（{s}）")).unwrap_or_default();
    match lang {
        Lang::Ja => {
            writeln!(w, "【注意喚起】不審なメールが届いています{site}\n").unwrap();
            writeln!(w, "{today}、次のメールが届いていることがわかりました。同じメールが届いていたら、開かずに削除してください。\n").unwrap();
        }
        Lang::En => {
            writeln!(w, "WARNING: suspicious mail has arrived{site}\n").unwrap();
            writeln!(w, "As of {today} these mails have arrived. If you received one, delete it without opening it.\n").unwrap();
        }
    }
    for check in &suspicious {
        write_mail_entry(w, check, lang);
    }
    let text = match lang {
        Lang::Ja => {
            "してはいけないこと\n・添付ファイルを開かない。リンクを押さない。返信しない\n・メールに書かれた電話番号や URL に連絡しない\n・取引先や同僚の名前でも、心当たりがなければ信用しない（電話など別の方法で確かめる）\n\nもし開いてしまったら\n・その端末の LAN ケーブルを抜く（無線なら Wi-Fi を切る）。電源は切らない\n・パスワードを入力してしまったら、すぐにそのパスワードを変える\n・すぐにシステム管理者（情報システム担当）に連絡する。開いたことを責めることはありません\n\n不審なメールに気づいたら、削除する前にシステム管理者に知らせてください。"
        }
        Lang::En => {
            "Do not\n- open attachments, click links or reply\n- call phone numbers or visit addresses given in the mail\n- trust a partner's or colleague's name you did not expect (check by phone)\n\nIf you opened it\n- unplug that PC's network cable (or turn off its Wi-Fi); leave it switched on\n- if you typed a password, change it at once\n- tell the system administrator at once. Nobody will blame you for opening it\n\nIf you notice a suspicious mail, tell the system administrator before deleting it."
        }
    };
    writeln!(w, "{text}").unwrap();
    out
}

fn write_mail_entry(w: &mut String, check: &MailCheck, lang: Lang) {
    let mail = &check.mail;
    let from = mail.from.as_ref().map_or(String::new(), |f| {
        if f.name.is_empty() {
            f.address.clone()
        } else {
            format!("{} <{}>", f.name, f.address)
        }
    });
    match lang {
        Lang::Ja => writeln!(
            w,
            "・件名「{}」 差出人「{from}」（{}）",
            mail.subject,
            check.verdict.label(lang)
        ),
        Lang::En => writeln!(
            w,
            "- subject \"{}\", from \"{from}\" ({})",
            mail.subject,
            check.verdict.label(lang)
        ),
    }
    .unwrap();
    for a in &mail.attachments {
        if !a.dangers.is_empty() || a.encrypted_archive {
            writeln!(
                w,
                "    {}「{}」",
                tr(lang, "添付ファイル", "attachment"),
                a.name
            )
            .unwrap();
        }
    }
    if let Some(f) = check.findings.first() {
        let first = f
            .message
            .get(lang)
            .split(sentence_end(lang))
            .next()
            .unwrap_or_default();
        writeln!(w, "    {}{first}", tr(lang, "理由: ", "why: ")).unwrap();
    }
    writeln!(w).unwrap();
}

/// One blocklist as `intel import` and `intel status` show it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ListSummary {
    /// The list's name (its file name).
    pub name: String,
    /// The file it was read from.
    pub source: String,
    /// The date the list states, as written.
    pub stamp: Option<String>,
    /// When it was imported (status only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<String>,
    /// Names listed.
    pub domains: u64,
    /// Addresses listed.
    pub addresses: u64,
    /// Networks listed.
    pub networks: u64,
    /// Host-less URL paths listed.
    pub paths: u64,
    /// Lines left out.
    pub problems: u64,
}

/// What `intel import` stored, one line per list.
pub fn render_intel_import(lists: &[ListSummary], lang: Lang) -> String {
    let mut out = String::new();
    for l in lists {
        let stamp = l
            .stamp
            .as_deref()
            .unwrap_or(tr(lang, "日付の記載なし", "no date stated"));
        let line = match lang {
            Lang::Ja => format!(
                "{}: ドメイン {}・アドレス {}・ネットワーク {}・URL パス {}（{stamp}）",
                l.name, l.domains, l.addresses, l.networks, l.paths
            ),
            Lang::En => format!(
                "{}: {} domains, {} addresses, {} networks, {} URL paths ({stamp})",
                l.name, l.domains, l.addresses, l.networks, l.paths
            ),
        };
        writeln!(out, "{line}").unwrap();
        if l.problems > 0 {
            let note = match lang {
                Lang::Ja => format!(
                    "    読まなかった行: {}（公開サフィックスや、ドメイン名でない行）",
                    l.problems
                ),
                Lang::En => format!(
                    "    lines left out: {} (public suffixes, text that is no host name)",
                    l.problems
                ),
            };
            writeln!(out, "{note}").unwrap();
        }
    }
    out
}

/// The stored lists as a table.
pub fn render_intel_status_table(lists: &[ListSummary], lang: Lang) -> String {
    if lists.is_empty() {
        return format!(
            "{}\n",
            tr(
                lang,
                "ブロックリストはまだ読み込まれていません（mamori intel import FILE）",
                "no blocklist loaded yet (mamori intel import FILE)"
            )
        );
    }
    let mut out = String::new();
    writeln!(
        out,
        "{:<36} {:>9} {:>9} {:>6} {:>6}  {:<22} {}",
        tr(lang, "リスト", "list"),
        tr(lang, "ドメイン", "domains"),
        tr(lang, "アドレス", "addresses"),
        tr(lang, "網", "nets"),
        tr(lang, "パス", "paths"),
        tr(lang, "リストの日付", "list date"),
        tr(lang, "読み込み", "imported"),
    )
    .unwrap();
    for l in lists {
        writeln!(
            out,
            "{:<36} {:>9} {:>9} {:>6} {:>6}  {:<22} {}",
            l.name,
            l.domains,
            l.addresses,
            l.networks,
            l.paths,
            l.stamp.as_deref().unwrap_or("-"),
            l.imported_at.as_deref().unwrap_or("-"),
        )
        .unwrap();
    }
    out
}

/// The stored lists, one JSON object per line.
pub fn render_intel_status_json(lists: &[ListSummary]) -> String {
    lists
        .iter()
        .map(|l| {
            format!(
                "{}\n",
                serde_json::to_string(l).expect("summary serialises")
            )
        })
        .collect()
}
