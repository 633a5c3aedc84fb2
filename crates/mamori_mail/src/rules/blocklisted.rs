//! `mail.blocklisted`: the sender's domain, the reply-to, the return path or a link's host is on
//! an imported blocklist (`mamori intel import`, `SITE_DIR/feeds/blocklists/`).

use std::net::IpAddr;

use mamori_model::Severity;

use super::{MEASURES, MailRule, Reason, Text, mail_domains, role_words};
use crate::context::MailContext;
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.blocklisted",
        default_severity: Severity::High,
        title: Text {
            ja: "ブロックリストに載ったドメイン",
            en: "Blocklisted domain",
        },
        rationale: Text {
            ja: "公開されているブロックリストは、ランサムウェアの運営者、マルウェアの配布元、フィッシングサイトのドメインを集めたものです。メールの差出人やリンク先がそこに載っていれば、攻撃のメールです。",
            en: "Public blocklists collect the domains of ransomware operators, malware distribution and phishing sites; a sender or link on one marks the mail as an attack.",
        },
        remediation: Text {
            ja: "リンクを開かず、メールを削除してください。すでに開いた人がいないか確かめ、開いた端末はネットワークから外してシステム管理者に連絡してください。同じドメインへの通信がないかプロキシや DNS のログも確認してください（mamori hunt）。",
            en: "Open no link; delete the mail. Find out whether anyone opened it; disconnect any PC that did and call the administrator. Look for traffic to the same domain in proxy and DNS logs (mamori hunt).",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

fn run(mail: &Mail, ctx: &MailContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if ctx.intel.lists.is_empty() {
        return reasons;
    }
    for (domain, role) in mail_domains(mail) {
        let hits = match domain.parse::<IpAddr>() {
            Ok(addr) => ctx.intel.match_address(addr),
            Err(_) => ctx.intel.match_domain(&domain),
        };
        if let Some(hit) = hits.first() {
            let (ja_role, en_role) = role_words(role);
            reasons.push(Reason::new(
                Severity::High,
                format!(
                    "{ja_role} {domain} がブロックリスト「{}」に載っています（{}）",
                    hit.list, hit.entry
                ),
                format!(
                    "{en_role} {domain} is on the blocklist \"{}\" ({})",
                    hit.list, hit.entry
                ),
            ));
        }
    }
    reasons
}
