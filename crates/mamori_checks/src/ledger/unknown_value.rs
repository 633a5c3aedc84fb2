//! `ledger.unknown-value`: a ledger cell says the value is not known (不明, ？, 要確認, 業者管理…).
//! The row is kept and every other check runs on what is known, but a check cannot vouch for a
//! field nobody knows: this finding asks for it to be found out, and says whom to ask — the
//! maintenance vendor when the cell says the vendor manages it.

use mamori_model::site::{Site, UnknownValue};
use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `ledger.unknown-value` — a ledger entry recorded as unknown.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ledger.unknown-value",
        default_severity: Severity::Low,
        title: Text {
            ja: "台帳に「不明」と書かれた項目",
            en: "Ledger entries recorded as unknown",
        },
        rationale: Text {
            ja: "インターネットにつながっているか、多要素認証があるかといった項目が分からないままでは、その機器やアカウントが安全かどうかを誰も確かめられません。注意喚起は、機器と接続点を把握して台帳に記録することを求めています。",
            en: "While it is unknown whether a device faces the internet or an account has a second factor, nobody can tell whether it is safe; the notices ask for devices and connection points to be known and recorded.",
        },
        remediation: Text {
            ja: "書かれた相手（業者管理なら保守事業者、そうでなければ院内の担当者）に確認し、台帳のその欄を書き直してください。",
            en: "Ask whoever knows (the maintenance vendor where the cell says the vendor manages it, otherwise the person in charge) and fill in the cell.",
        },
        measures: &["assets.inventory", "supply-chain.connection-points"],
        checklist: &["ledger"],
    },
    run,
};

/// Fields whose absence leaves a security check unable to decide: unknown, they matter.
const DECIDING: &[&str] = &[
    "internet_facing",
    "kind",
    "last_patched",
    "source_restricted",
    "mfa",
    "always_on",
    "enabled",
    "privileged",
    "shared",
    "status",
    "left_on",
    "nda",
];

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let site = ctx.site;
    let mut entries: Vec<Entry> = Vec::new();
    for a in &site.assets {
        let who = vendor_name(site, &a.managed_by);
        let subject = crate::assets::asset_subject(a);
        entries.push(entry(subject, &a.unknown, &a.origin, who));
    }
    for c in &site.connections {
        let who = vendor_name(site, &c.vendor);
        let subject = crate::connections::connection_subject(site, c);
        entries.push(entry(subject, &c.unknown, &c.origin, who));
    }
    for v in &site.vendors {
        let subject = crate::vendors::vendor_subject(v);
        let who = Some(if v.name.is_empty() { &v.id } else { &v.name }.clone());
        entries.push(entry(subject, &v.unknown, &v.origin, who));
    }
    for a in &site.accounts {
        entries.push(entry(
            crate::account_subject(a),
            &a.unknown,
            &a.origin,
            None,
        ));
    }
    for s in &site.staff {
        let subject = Subject::new(SubjectKind::Staff, &s.employee_id, &s.name);
        entries.push(entry(subject, &s.unknown, &s.origin, None));
    }
    for c in &site.contacts {
        let subject = Subject::new(SubjectKind::Contact, &c.role, &c.name);
        entries.push(entry(subject, &c.unknown, &c.origin, None));
    }
    entries
        .into_iter()
        .filter(|e| !e.unknown.is_empty())
        .map(|e| e.finding(rule))
        .collect()
}

struct Entry<'a> {
    subject: Subject,
    unknown: &'a [UnknownValue],
    origin: &'a SourceRef,
    /// The vendor that maintains it, by name.
    vendor: Option<String>,
}

fn entry<'a>(
    subject: Subject,
    unknown: &'a [UnknownValue],
    origin: &'a SourceRef,
    vendor: Option<String>,
) -> Entry<'a> {
    Entry {
        subject,
        unknown,
        origin,
        vendor,
    }
}

impl Entry<'_> {
    fn finding(self, rule: &Rule) -> Finding {
        let cells_ja: Vec<String> = self
            .unknown
            .iter()
            .map(|u| format!("「{}」が「{}」", u.column, u.value))
            .collect();
        let cells_en: Vec<String> = self
            .unknown
            .iter()
            .map(|u| format!("{} is \"{}\"", u.column, u.value))
            .collect();
        let vendor_knows = self.unknown.iter().any(UnknownValue::vendor_knows);
        let (ask_ja, ask_en) = match (&self.vendor, vendor_knows) {
            (Some(v), true) => (format!("{v}に確認してください"), format!("ask {v}")),
            (None, true) => (
                "保守事業者に確認してください".to_owned(),
                "ask the maintenance vendor".to_owned(),
            ),
            (Some(v), false) => (
                format!("院内の担当者か{v}に確認してください"),
                format!("ask the person in charge or {v}"),
            ),
            (None, false) => (
                "院内の担当者に確認してください".to_owned(),
                "ask the person in charge".to_owned(),
            ),
        };
        let name = self.subject.display();
        let message = Localized::new(
            format!(
                "{name} の台帳で、{}と書かれています。{ask_ja}",
                cells_ja.join("、")
            ),
            format!("in the ledger, {name}: {}; {ask_en}", cells_en.join(", ")),
        );
        let severity = if self.unknown.iter().any(|u| DECIDING.contains(&u.field)) {
            Severity::Medium
        } else {
            rule.default_severity
        };
        let fields: Vec<&str> = self.unknown.iter().map(|u| u.field).collect();
        let evidence = Evidence::default()
            .fact("fields", fields)
            .fact("vendor_knows", vendor_knows)
            .source(self.origin.clone());
        rule.finding(self.subject, severity, message, evidence)
    }
}

/// The vendor's name for an id written in a ledger (or the id itself when the vendor is not
/// listed); `None` when no vendor is named.
fn vendor_name(site: &Site, id: &str) -> Option<String> {
    if id.is_empty() {
        return None;
    }
    let vendor = site.vendors.iter().find(|v| v.id == id || v.name == id);
    Some(
        vendor
            .map_or(id, |v| if v.name.is_empty() { &v.id } else { &v.name })
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{Asset, Vendor};

    #[test]
    fn asks_the_vendor_when_the_vendor_manages_it() {
        let site = Site {
            assets: vec![Asset {
                id: "#3".into(),
                name: "VPNルーター".into(),
                managed_by: "V1".into(),
                unknown: vec![UnknownValue {
                    field: "internet_facing",
                    column: "インターネット接続".into(),
                    value: "業者管理".into(),
                }],
                ..Asset::default()
            }],
            vendors: vec![Vendor {
                id: "V1".into(),
                name: "みどり電算".into(),
                ..Vendor::default()
            }],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(
            f[0].message.ja,
            "VPNルーター (#3) の台帳で、「インターネット接続」が「業者管理」と書かれています。みどり電算に確認してください"
        );
    }

    #[test]
    fn silent_when_everything_is_known() {
        let site = Site {
            assets: vec![Asset {
                id: "A1".into(),
                ..Asset::default()
            }],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
