//! 「まず今週やること」: the few actions that remove the most risk, first thing in every report.
//!
//! A clinic reading 60 findings does not know where to start. The findings are grouped by the
//! thing they are about — one router, one account, one connection: its gateway, patch and
//! vulnerability findings are one visit by the vendor — the groups ranked by their most severe
//! finding and how many there are, and the first three to seven shown, each with who does it
//! and roughly how long it takes. Empty or missing core tables come first: until they are
//! written, nothing else can be checked.

use std::collections::BTreeMap;

use mamori_model::input::InputSummary;
use mamori_model::{Finding, Localized, Severity, SubjectKind};
use serde::Serialize;

use crate::ReportedFinding;

/// Who does an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    /// The site itself (自院).
    Site,
    /// The maintenance vendor (保守事業者).
    Vendor,
    /// Both together.
    Both,
}

impl Who {
    /// The label for people.
    pub fn label(self) -> Localized {
        match self {
            Who::Site => Localized::new("自院", "the site"),
            Who::Vendor => Localized::new("保守事業者", "the vendor"),
            Who::Both => Localized::new("自院と保守事業者", "the site and the vendor"),
        }
    }

    fn join(self, other: Who) -> Who {
        if self == other { self } else { Who::Both }
    }
}

/// Roughly how long an action takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effort {
    /// A few minutes: disable an account, switch a setting.
    Minutes,
    /// An hour or so: call, confirm, write it down.
    Hour,
    /// The vendor must be booked (業者手配).
    VendorVisit,
}

impl Effort {
    /// The label for people.
    pub fn label(self) -> Localized {
        match self {
            Effort::Minutes => Localized::new("5 分", "5 minutes"),
            Effort::Hour => Localized::new("1 時間", "1 hour"),
            Effort::VendorVisit => Localized::new("業者手配", "book the vendor"),
        }
    }
}

/// One thing to do this week.
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    /// What to do, naming the device, account or table.
    pub title: Localized,
    /// Its most severe finding's severity (`None` for writing the ledgers).
    pub severity: Option<Severity>,
    /// Who does it.
    pub who: Who,
    /// Roughly how long.
    pub effort: Effort,
    /// The findings it closes.
    pub finding_ids: Vec<String>,
}

/// 「（自院・5 分）」: who does it and how long it takes, for people.
pub fn who_and_effort(action: &Action, lang: mamori_model::Lang) -> String {
    let (who, effort) = (action.who.label(), action.effort.label());
    match lang {
        mamori_model::Lang::Ja => format!("（{}・{}）", who.ja, effort.ja),
        mamori_model::Lang::En => format!("({}, {})", who.en, effort.en),
    }
}

/// The most actions shown, and the fewest when there are that many groups.
const MAX_ACTIONS: usize = 7;
const MIN_ACTIONS: usize = 3;

/// The tables without which most checks have nothing to read, in the order to write them.
const CORE_TABLES: [(&str, &str, &str); 3] = [
    ("connections", "接続点一覧", "connection points"),
    ("assets", "機器台帳", "device ledger"),
    ("accounts", "アカウント台帳", "account ledger"),
];

/// The actions for these findings and inputs, most urgent first.
pub fn plan(findings: &[ReportedFinding], inputs: &[InputSummary]) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(write) = write_ledgers(inputs) {
        actions.push(write);
    }
    let mut groups: BTreeMap<(SubjectKind, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().map(|r| &r.finding) {
        groups.entry(group_key(f)).or_default().push(f);
    }
    let mut ranked: Vec<Vec<&Finding>> = groups.into_values().collect();
    // The most severe first; among equals, the group that closes the most.
    ranked.sort_by_key(|g| {
        let worst = g.iter().map(|f| f.severity).max();
        std::cmp::Reverse((worst, weight(g)))
    });
    for group in ranked {
        let severity = group.iter().map(|f| f.severity).max();
        let enough = actions.len() >= MAX_ACTIONS
            || (actions.len() >= MIN_ACTIONS && severity < Some(Severity::High));
        if enough {
            break;
        }
        actions.push(action(&group));
    }
    actions
}

/// One action when the core tables are missing or empty: write them first.
fn write_ledgers(inputs: &[InputSummary]) -> Option<Action> {
    let empty: Vec<&(&str, &str, &str)> = CORE_TABLES
        .iter()
        .filter(|(table, ..)| !inputs.iter().any(|i| i.table == *table && i.rows_read > 0))
        .collect();
    if empty.is_empty() {
        return None;
    }
    let ja: Vec<&str> = empty.iter().map(|t| t.1).collect();
    let en: Vec<&str> = empty.iter().map(|t| t.2).collect();
    Some(Action {
        title: Localized::new(
            format!(
                "{}を書く（まだ空です。これがないと多くの点検ができません）",
                ja.join("・")
            ),
            format!(
                "write the {} (still empty: most checks have nothing to read without them)",
                en.join(", ")
            ),
        ),
        severity: None,
        who: Who::Site,
        effort: Effort::Hour,
        finding_ids: Vec::new(),
    })
}

/// The device, account or connection a finding is about: a gateway's interface findings
/// (`FW-01#wan1`) and a device's per-flaw findings (`FW-01 CVE-…`) belong to the device.
fn group_key(f: &Finding) -> (SubjectKind, String) {
    let key = f.subject.key.split(['#', ' ']).next().unwrap_or_default();
    match f.subject.kind {
        // Log findings each tell their own story: one action per finding.
        SubjectKind::Host if f.rule_id.starts_with("log.") => (SubjectKind::Host, f.id.clone()),
        // Checklist items are one sitting with the list; the emergency contacts one list.
        SubjectKind::Checklist => (SubjectKind::Checklist, String::new()),
        SubjectKind::Contact => (SubjectKind::Contact, String::new()),
        kind => (kind, key.to_owned()),
    }
}

/// The name people use, else the key.
fn short_name(subject: &mamori_model::Subject) -> (String, String) {
    let name = if subject.name.is_empty() {
        subject.key.as_str()
    } else {
        subject.name.as_str()
    };
    match (subject.kind, subject.key.split_once('/')) {
        // An account is known by its system too: 「受付PC」の Administrator.
        (SubjectKind::Account, Some((system, _))) if !system.is_empty() => (
            format!("「{system}」の {name}"),
            format!("{name} on {system}"),
        ),
        _ => (name.to_owned(), name.to_owned()),
    }
}

/// Ranks groups: the most severe finding counts most, then how many there are.
fn weight(group: &[&Finding]) -> u64 {
    group
        .iter()
        .map(|f| match f.severity {
            Severity::Critical => 1000,
            Severity::High => 100,
            Severity::Medium => 10,
            Severity::Low => 2,
            Severity::Info => 0,
        })
        .sum()
}

fn action(group: &[&Finding]) -> Action {
    let mut sorted = group.to_vec();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let top = sorted[0];
    let who = sorted
        .iter()
        .map(|f| who_for(f))
        .reduce(Who::join)
        .unwrap_or(Who::Site);
    let effort = sorted
        .iter()
        .map(|f| effort_for(f, who))
        .max()
        .unwrap_or(Effort::Hour);
    // The device itself names the group, not one interface or flaw of it.
    let (kind, key) = group_key(top);
    let (subject_ja, subject_en) = match kind {
        // The rule titles name the checklist and the contact list already.
        SubjectKind::Checklist | SubjectKind::Contact => (String::new(), String::new()),
        SubjectKind::Host if top.rule_id.starts_with("log.") => {
            (top.subject.display(), top.subject.display())
        }
        _ => sorted
            .iter()
            .find(|f| f.subject.key == key)
            .map_or((key.clone(), key), |f| short_name(&f.subject)),
    };
    let more = sorted.len() - 1;
    let (more_ja, more_en) = if more > 0 {
        (format!("（ほか {more} 件）"), format!(" (and {more} more)"))
    } else {
        (String::new(), String::new())
    };
    let title = if subject_ja.is_empty() {
        Localized::new(
            format!("{}{more_ja}", top.title.ja),
            format!("{}{more_en}", top.title.en),
        )
    } else {
        Localized::new(
            format!("{subject_ja}: {}{more_ja}", top.title.ja),
            format!("{subject_en}: {}{more_en}", top.title.en),
        )
    };
    Action {
        title,
        severity: Some(top.severity),
        who,
        effort,
        finding_ids: sorted.iter().map(|f| f.id.clone()).collect(),
    }
}

/// Who fixes what a rule finds: device firmware, configuration and vendor lines are the
/// vendor's; accounts, contacts, checklists and ledgers the site's; an attack both.
fn who_for(f: &Finding) -> Who {
    let group = f.rule_id.split('.').next().unwrap_or_default();
    match group {
        "gateway" | "vuln" | "connection" => Who::Vendor,
        "asset" if f.rule_id != "asset.version-unknown" => Who::Vendor,
        "log" => Who::Both,
        "ledger" if f.evidence.facts.get("vendor_knows") == Some(&true.into()) => Who::Vendor,
        _ => Who::Site,
    }
}

fn effort_for(f: &Finding, who: Who) -> Effort {
    match f.rule_id.as_str() {
        "account.leaver-enabled" | "account.stale" | "account.shared" => Effort::Minutes,
        _ if who == Who::Vendor => Effort::VendorVisit,
        _ => Effort::Hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_model::{Evidence, Subject};

    fn finding(rule: &str, severity: Severity, kind: SubjectKind, key: &str) -> ReportedFinding {
        let subject = Subject::new(kind, key, key);
        ReportedFinding {
            finding: Finding {
                id: Finding::stable_id(rule, &subject),
                rule_id: rule.into(),
                severity,
                subject,
                title: Localized::new(format!("{rule}の題"), rule),
                message: Localized::default(),
                evidence: Evidence::default(),
                measures: vec![],
                checklist_items: vec![],
                remediation: Localized::default(),
            },
            new: true,
            first_seen: None,
        }
    }

    fn read(table: &'static str, rows: usize) -> InputSummary {
        InputSummary {
            file: format!("{table}.csv"),
            table,
            encoding: "UTF-8",
            rows_read: rows,
            rows_rejected: 0,
            ignored_columns: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn one_router_is_one_action_and_the_worst_come_first() {
        let findings = [
            finding(
                "gateway.admin-exposed",
                Severity::High,
                SubjectKind::Asset,
                "FW-01#wan1",
            ),
            finding(
                "vuln.known-exploited",
                Severity::Critical,
                SubjectKind::Asset,
                "FW-01 CVE-2024-21762",
            ),
            finding(
                "asset.patch-stale",
                Severity::High,
                SubjectKind::Asset,
                "FW-01",
            ),
            finding(
                "account.leaver-enabled",
                Severity::Critical,
                SubjectKind::Account,
                "emr/tanaka",
            ),
            finding(
                "account.password-old",
                Severity::Low,
                SubjectKind::Account,
                "emr/user",
            ),
            finding(
                "contact.unverified",
                Severity::Medium,
                SubjectKind::Contact,
                "police",
            ),
        ];
        let inputs = [
            read("connections", 2),
            read("assets", 3),
            read("accounts", 4),
        ];
        let actions = plan(&findings, &inputs);
        assert_eq!(
            actions[0].finding_ids.len(),
            3,
            "the router's three findings"
        );
        assert_eq!(actions[0].who, Who::Vendor);
        assert_eq!(actions[0].effort, Effort::VendorVisit);
        assert!(
            actions[0].title.ja.starts_with("FW-01: "),
            "{}",
            actions[0].title.ja
        );
        assert!(actions[0].title.ja.ends_with("（ほか 2 件）"));
        assert_eq!(actions[1].who, Who::Site);
        assert_eq!(actions[1].effort, Effort::Minutes);
        // Three at least, and no more below high once three are listed.
        assert_eq!(actions.len(), 3);
    }

    #[test]
    fn empty_ledgers_are_the_first_thing_to_do() {
        let actions = plan(&[], &[read("connections", 0), read("assets", 3)]);
        assert_eq!(actions.len(), 1);
        assert_eq!(
            actions[0].title.ja,
            "接続点一覧・アカウント台帳を書く（まだ空です。これがないと多くの点検ができません）"
        );
    }
}
