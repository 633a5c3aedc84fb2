//! `mail.link-mismatch`: a link whose text shows one address and opens another, a link to a
//! raw IP address, a URL shortener that hides where it goes, or a script link.

use std::net::IpAddr;

use mamori_model::Severity;
use mamori_vuln::blocklist::registrable_domain;

use super::{MEASURES, MailRule, Reason, Text};
use crate::context::MailContext;
use crate::mail::Mail;

pub static RULE: MailRule = MailRule {
    info: mamori_model::RuleInfo {
        id: "mail.link-mismatch",
        default_severity: Severity::High,
        title: Text {
            ja: "表示と行き先が違うリンク",
            en: "Link that goes elsewhere than it shows",
        },
        rationale: Text {
            ja: "本物のアドレスを表示しながら別のサイトへ誘導するのは、偽のログイン画面に ID とパスワードを入力させる典型的な手口です。短縮 URL や IP アドレスだけのリンクも、行き先を隠すために使われます。",
            en: "Showing a real address while linking elsewhere is the classic way to lead people to a fake login page; shortened links and bare IP addresses hide where a link goes.",
        },
        remediation: Text {
            ja: "リンクを開かないでください。そのサービスを使うときは、ブックマークや公式アプリから開いてください。すでに ID やパスワードを入力したときは、すぐにパスワードを変え、システム管理者に連絡してください。",
            en: "Do not open the link; reach the service through a bookmark or its app. If a password was entered, change it at once and tell the administrator.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run,
};

/// URL shorteners: the link says nothing about where it goes.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "is.gd",
    "goo.gl",
    "ow.ly",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "rb.gy",
    "t.ly",
    "tiny.cc",
    "bitly.com",
    "s.id",
    "v.gd",
    "shorturl.com",
    "x.gd",
    "lnkd.in",
    "qrco.de",
];

/// The names clouds give a bare virtual machine: an IP address in disguise.
fn is_bare_machine(host: &str) -> bool {
    (host.starts_with("ec2-") && host.ends_with(".amazonaws.com"))
        || host.ends_with(".cloudapp.azure.com")
        || host.ends_with(".cloudapp.net")
        || host.ends_with(".bc.googleusercontent.com")
        || host.ends_with(".vultrusercontent.com")
        || host.ends_with(".linodeusercontent.com")
}

/// Reasons per mail, at most: a newsletter with fifty links is one finding, not fifty.
const MAX_REASONS: usize = 5;

fn run(mail: &Mail, _ctx: &MailContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for link in &mail.links {
        let reason = judge(link);
        if let Some(reason) = reason
            && seen.insert(reason.ja.clone())
        {
            reasons.push(reason);
        }
        if reasons.len() >= MAX_REASONS {
            break;
        }
    }
    reasons
}

fn judge(link: &crate::links::Link) -> Option<Reason> {
    if matches!(link.scheme.as_str(), "javascript" | "vbscript" | "data") {
        return Some(Reason::new(
            Severity::High,
            format!(
                "リンク「{}」は {} で始まり、開くとスクリプトが動きます",
                link.shown, link.scheme
            ),
            format!(
                "The link \"{}\" is a {} link that runs a script",
                link.shown, link.scheme
            ),
        ));
    }
    let host = link.host.as_deref()?;
    if !matches!(link.scheme.as_str(), "http" | "https") {
        return None;
    }
    if let Some(shown) = link.shown_host()
        && shown != host
        && registrable_domain(&shown) != registrable_domain(host)
    {
        return Some(Reason::new(
            Severity::High,
            format!("リンクの表示は {shown} ですが、実際には {host} を開きます"),
            format!("A link shows {shown} but opens {host}"),
        ));
    }
    if host.parse::<IpAddr>().is_ok() {
        return Some(Reason::new(
            Severity::Medium,
            format!("リンク先がドメイン名でなく IP アドレス（{host}）です"),
            format!("A link goes to a bare IP address ({host})"),
        ));
    }
    if is_bare_machine(host) {
        return Some(Reason::new(
            Severity::Medium,
            format!("リンク先がクラウド上の仮想マシンにそのまま付いた名前（{host}）です"),
            format!("A link goes to a cloud machine's generated host name ({host})"),
        ));
    }
    if SHORTENERS.contains(&host) {
        return Some(Reason::new(
            Severity::Medium,
            format!("短縮 URL（{host}）で行き先が隠されています"),
            format!("A shortened link ({host}) hides where it goes"),
        ));
    }
    None
}
