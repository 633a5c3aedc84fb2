//! Site checks: the site's records in, [`Finding`]s out.
//!
//! Every check is one [`Rule`] in one file: its id (a public contract), texts in Japanese and
//! English, the measures and checklist items it serves, and a function from the site to findings.
//! [`registry::RULES`] is the one list of them; a test walks it and checks that every rule is
//! complete. Checks never print, store or know about output formats.
//!
//! ```
//! use mamori_checks::{CheckContext, run_all};
//! use mamori_model::site::Site;
//!
//! let site = Site::default();
//! let ctx = CheckContext::new(&site, jiff::civil::date(2026, 11, 21));
//! let findings = run_all(&ctx);
//! // An empty site has no emergency contacts at all.
//! assert!(findings.iter().any(|f| f.rule_id == "contact.missing-role"));
//! ```

#![warn(missing_docs)]

mod accounts;
mod ad;
mod assets;
mod backup;
mod bcp;
pub mod checklist;
mod connections;
mod contacts;
pub mod gateway;
pub mod holiday;
mod ledger;
pub mod link;
pub mod registry;
mod vendors;
pub mod vuln;

#[cfg(test)]
mod testing;

use std::cell::OnceCell;
use std::collections::HashSet;

use jiff::civil::Date;
use mamori_model::site::{Account, Site};
use mamori_model::{Finding, Subject};
pub use mamori_model::{RuleInfo, Text};

pub use registry::RULES;

/// One check: its public description and the function that runs it. Field access goes through
/// to the description (`rule.id`, `rule.finding(…)`).
pub struct Rule {
    /// Id, severity, texts, measures and checklist keys (shared with log detections).
    pub info: RuleInfo,
    /// The check itself: the site's findings for this rule.
    pub run: fn(&CheckContext, &Rule) -> Vec<Finding>,
}

impl std::ops::Deref for Rule {
    type Target = RuleInfo;
    fn deref(&self) -> &RuleInfo {
        &self.info
    }
}

/// What every check sees: the site and the day to judge it on (`--as-of`), plus lookups
/// computed once per run so that checks stay linear in the size of the site.
pub struct CheckContext<'a> {
    /// The site as read.
    pub site: &'a Site,
    /// The day to judge on (`--as-of`): ages and deadlines count from it.
    pub as_of: Date,
    /// Lower-cased ids and names of exposed assets (gateways, VPN, internet-facing).
    boundary_systems: HashSet<String>,
    /// Loaded vulnerability data; the `vuln.*` rules stay silent without it.
    pub vuln: Option<&'a mamori_vuln::Loaded>,
    vuln_matches: OnceCell<Vec<vuln::AssetVuln<'a>>>,
    earlier: OnceCell<Vec<Finding>>,
}

impl<'a> CheckContext<'a> {
    /// A context for `site` judged on `as_of`, without vulnerability data.
    pub fn new(site: &'a Site, as_of: Date) -> Self {
        let boundary_systems = site
            .assets
            .iter()
            .filter(|a| a.is_exposed())
            .flat_map(|a| [a.id.to_lowercase(), a.name.to_lowercase()])
            .filter(|s| !s.is_empty())
            .collect();
        Self {
            site,
            as_of,
            boundary_systems,
            vuln: None,
            vuln_matches: OnceCell::new(),
            earlier: OnceCell::new(),
        }
    }

    /// Adds vulnerability data for the `vuln.*` rules.
    #[must_use]
    pub fn with_vuln(mut self, loaded: &'a mamori_vuln::Loaded) -> Self {
        self.vuln = Some(loaded);
        self
    }

    /// Every asset mapped and matched against the loaded data (computed once per run);
    /// `None` without data.
    pub fn vuln_matches(&self) -> Option<&[vuln::AssetVuln<'a>]> {
        let loaded = self.vuln?;
        Some(
            self.vuln_matches
                .get_or_init(|| vuln::match_site(self.site, loaded)),
        )
    }

    /// The findings of every rule outside the late groups ([`LATE_GROUPS`]), computed once:
    /// checklist answers and holiday steps are judged against them.
    pub fn earlier_findings(&self) -> &[Finding] {
        self.earlier.get_or_init(|| {
            RULES
                .iter()
                .filter(|rule| !is_late(rule))
                .flat_map(|rule| (rule.run)(self, rule))
                .collect()
        })
    }

    /// Whole days from `day` to the evaluation day (negative for future days).
    pub fn days_since(&self, day: Date) -> i64 {
        day.until(self.as_of)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// Does this account belong to a boundary device (VPN, gateway, internet-facing)? Its
    /// weaknesses are the way in, so they rank higher. The account's `system` is matched against
    /// asset ids and names, and anything named like a VPN counts.
    pub fn account_on_boundary(&self, account: &Account) -> bool {
        let system = account.system.to_lowercase();
        if system.is_empty() {
            return false;
        }
        system.contains("vpn") || self.boundary_systems.contains(&system)
    }
}

/// Groups whose rules read the other rules' findings, so they run last.
pub const LATE_GROUPS: [&str; 2] = ["checklist", "holiday"];

fn is_late(rule: &Rule) -> bool {
    rule.id
        .split_once('.')
        .is_some_and(|(g, _)| LATE_GROUPS.contains(&g))
}

/// Runs every rule and returns the findings, most severe first, then by rule and subject.
pub fn run_all(ctx: &CheckContext) -> Vec<Finding> {
    let mut findings: Vec<Finding> = ctx.earlier_findings().to_vec();
    findings.extend(
        RULES
            .iter()
            .filter(|rule| is_late(rule))
            .flat_map(|rule| (rule.run)(ctx, rule)),
    );
    sort_findings(&mut findings);
    findings
}

/// Runs the rules of one group (`gateway` for `gateway.*`), in report order.
pub fn run_group(ctx: &CheckContext, group: &str) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter(|rule| rule.id.split_once('.').is_some_and(|(g, _)| g == group))
        .flat_map(|rule| (rule.run)(ctx, rule))
        .collect();
    sort_findings(&mut findings);
    findings
}

/// The report order: severity (highest first), then rule id, then subject key.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.subject.key.cmp(&b.subject.key))
    });
}

/// A person's name or the account's id, for messages.
pub(crate) fn account_label(account: &Account) -> String {
    if account.display_name.is_empty() {
        account.username.clone()
    } else {
        format!("{}（{}）", account.username, account.display_name)
    }
}

pub(crate) fn account_subject(account: &Account) -> Subject {
    Subject::new(
        mamori_model::SubjectKind::Account,
        account.key(),
        account_label(account),
    )
}

/// With no 機器台帳 at all, the devices found elsewhere (the domain's computers, a network
/// scan) are one finding instead of one each, which would bury the report: how many, the first
/// five by name. `what_ja` names them (「ドメインのコンピューター」); `what_en` is the English
/// phrase with the count ("the domain's 12 computers").
pub(crate) fn no_ledger_finding(
    rule: &Rule,
    key: &str,
    names: &[String],
    what_ja: &str,
    what_en: &str,
    source: mamori_model::SourceRef,
) -> Finding {
    const SHOWN: usize = 5;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    let more = names.len().saturating_sub(SHOWN);
    let (more_ja, more_en) = if more > 0 {
        (format!(" ほか {more} 台"), format!(" and {more} more"))
    } else {
        (String::new(), String::new())
    };
    let message = mamori_model::Localized::new(
        format!(
            "機器台帳がないため、{what_ja} {} 台（{}{more_ja}）をどれも照合できません",
            names.len(),
            shown.join("、")
        ),
        format!(
            "there is no asset ledger, so none of {what_en} ({}{more_en}) can be matched",
            shown.join(", ")
        ),
    );
    let mut evidence = mamori_model::Evidence::default().source(source);
    evidence.count = Some(names.len() as u64);
    let subject = Subject::new(mamori_model::SubjectKind::Site, key, "機器台帳");
    rule.finding(subject, rule.default_severity, message, evidence)
}
