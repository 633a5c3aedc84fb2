//! The one list of site checks. Adding a check: one file with its `RULE`, one line here.
//! The tests below hold every rule to the same standard; `docs/checks.md` is generated from
//! this list and the log detections' by `mamori_app::rules` (`cargo test` fails when it is out
//! of date).

use crate::{
    Rule, RuleInfo, accounts, ad, assets, backup, bcp, checklist, connections, contacts, gateway,
    holiday, ledger, vendors, vuln,
};

/// Every site check, in report order: the one list `run_all`, `mamori rules` and
/// `docs/checks.md` are made from.
pub static RULES: &[&Rule] = &[
    &accounts::leaver_enabled::RULE,
    &accounts::stale::RULE,
    &accounts::privileged_no_mfa::RULE,
    &accounts::shared::RULE,
    &accounts::password_old::RULE,
    &ad::privileged_stale::RULE,
    &ad::password_never_expires::RULE,
    &ad::password_not_required::RULE,
    &ad::reversible_encryption::RULE,
    &ad::kerberoastable_admin::RULE,
    &ad::admincount_orphan::RULE,
    &ad::weak_policy::RULE,
    &ad::too_many_admins::RULE,
    &ad::computer_unregistered::RULE,
    &ad::computer_stale::RULE,
    &ad::no_laps::RULE,
    &assets::end_of_support::RULE,
    &assets::patch_stale::RULE,
    &assets::av_stale::RULE,
    &assets::version_unknown::RULE,
    &assets::version_mismatch::RULE,
    &assets::unregistered::RULE,
    &assets::cleartext_service::RULE,
    &connections::no_source_restriction::RULE,
    &connections::no_mfa::RULE,
    &connections::unregistered::RULE,
    &vendors::no_nda::RULE,
    &vendors::checklist_missing::RULE,
    &vendors::mds_sds_missing::RULE,
    &contacts::missing_role::RULE,
    &contacts::unverified::RULE,
    &ledger::unknown_value::RULE,
    &backup::missing::RULE,
    &backup::stale::RULE,
    &backup::few_generations::RULE,
    &backup::no_offline_copy::RULE,
    &backup::same_credentials::RULE,
    &backup::restore_untested::RULE,
    &backup::encrypted_suspect::RULE,
    &backup::ransom_note::RULE,
    &backup::mass_change::RULE,
    &bcp::missing::RULE,
    &bcp::stale::RULE,
    &bcp::no_exercise::RULE,
    &bcp::rto_undefined::RULE,
    &bcp::rto_unrealistic::RULE,
    &gateway::admin_exposed::RULE,
    &gateway::admin_no_trusthost::RULE,
    &gateway::admin_no_mfa::RULE,
    &gateway::default_admin::RULE,
    &gateway::vpn_exposed::RULE,
    &gateway::vpn_user_no_mfa::RULE,
    &gateway::vpn_any_source::RULE,
    &gateway::telnet_enabled::RULE,
    &gateway::weak_tls::RULE,
    &gateway::no_remote_logging::RULE,
    &vuln::known_exploited::RULE,
    &vuln::cve::RULE,
    &vuln::feed_stale::RULE,
    &vuln::unmapped_asset::RULE,
    &checklist::contradiction::RULE,
    &checklist::unanswered::RULE,
    &checklist::no_target_date::RULE,
    &holiday::before_incomplete::RULE,
    &holiday::after_incomplete::RULE,
];

/// The check with this public id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id).copied()
}

/// `docs/checks.md`: every rule of `rules` (the site checks and the log detections, see
/// `mamori_app::rules`) with its texts, measures and checklist items.
pub fn render_docs(rules: &[&RuleInfo]) -> String {
    use std::fmt::Write as _;
    let checklist = mamori_model::catalog::checklist_for("institution", i16::MAX);
    let mut out = String::from(
        "# Checks\n\n<!-- Generated from the rule registries (crates/mamori_checks/src/registry.rs, \
         crates/mamori_hunt/src/detect/mod.rs) by `MAMORI_BLESS=1 cargo test -p mamori_app`. \
         Do not edit by hand. -->\n\n\
         Rule ids are a public contract: scripts depend on them.\n\n\
         | rule id | default severity | title |\n|---|---|---|\n",
    );
    for r in rules {
        writeln!(
            out,
            "| `{}` | {} | {} |",
            r.id, r.default_severity, r.title.ja
        )
        .unwrap();
    }
    for r in rules {
        writeln!(
            out,
            "\n## `{}`\n\n**{}** / {}\n",
            r.id, r.title.ja, r.title.en
        )
        .unwrap();
        writeln!(
            out,
            "- 既定の重要度 / default severity: {}",
            r.default_severity
        )
        .unwrap();
        writeln!(out, "- なぜ: {}", r.rationale.ja).unwrap();
        writeln!(out, "- Why: {}", r.rationale.en).unwrap();
        writeln!(out, "- 対策: {}", r.remediation.ja).unwrap();
        writeln!(out, "- Remediation: {}", r.remediation.en).unwrap();
        let measures: Vec<String> = r.measures.iter().map(|m| format!("`{m}`")).collect();
        writeln!(out, "- Measures: {}", measures.join(", ")).unwrap();
        let items: Vec<String> = r
            .checklist
            .iter()
            .map(|key| {
                let number = checklist
                    .and_then(|c| c.items.iter().find(|i| i.key == *key))
                    .map(|i| i.display_number())
                    .unwrap_or_default();
                format!("`{key}` ({number})")
            })
            .collect();
        writeln!(
            out,
            "- MHLW checklist (latest known version): {}",
            items.join(", ")
        )
        .unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use mamori_model::catalog;

    use super::*;

    /// The spec every rule must meet (cf. Vector's component spec test).
    #[test]
    fn every_rule_is_complete_and_unique() {
        let mut ids = HashSet::new();
        for r in RULES {
            assert!(ids.insert(r.id), "duplicate rule id {}", r.id);
            let (group, name) = r.id.split_once('.').expect("ids are group.name");
            assert!(
                [
                    "account",
                    "ad",
                    "asset",
                    "connection",
                    "vendor",
                    "contact",
                    "ledger",
                    "backup",
                    "bcp",
                    "gateway",
                    "vuln",
                    "checklist",
                    "holiday"
                ]
                .contains(&group),
                "{}: unknown group",
                r.id
            );
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
            for text in [r.title, r.rationale, r.remediation] {
                assert!(
                    !text.ja.is_empty() && !text.en.is_empty(),
                    "{}: missing text",
                    r.id
                );
            }
            assert!(!r.measures.is_empty(), "{}: no measure", r.id);
            for m in r.measures {
                assert!(
                    catalog::measure(m).is_some(),
                    "{}: unknown measure {m}",
                    r.id
                );
            }
            for version in catalog::checklists()
                .iter()
                .filter(|c| c.list == "institution")
            {
                for key in r.checklist {
                    let known = version.items.iter().any(|i| i.key == *key);
                    // R7 added items; an R6 list may lack them but the latest must have all.
                    if version.fiscal_year >= 2025 {
                        assert!(known, "{}: unknown checklist item {key}", r.id);
                    }
                }
            }
        }
    }

    /// The ids named in the foundation issue, exactly: they are a public contract.
    #[test]
    fn public_rule_ids_are_stable() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "account.leaver-enabled",
                "account.stale",
                "account.privileged-no-mfa",
                "account.shared",
                "account.password-old",
                "ad.privileged-stale",
                "ad.password-never-expires",
                "ad.password-not-required",
                "ad.reversible-encryption",
                "ad.kerberoastable-admin",
                "ad.admincount-orphan",
                "ad.weak-policy",
                "ad.too-many-admins",
                "ad.computer-unregistered",
                "ad.computer-stale",
                "ad.no-laps",
                "asset.end-of-support",
                "asset.patch-stale",
                "asset.av-stale",
                "asset.version-unknown",
                "asset.version-mismatch",
                "asset.unregistered",
                "asset.cleartext-service",
                "connection.no-source-restriction",
                "connection.no-mfa",
                "connection.unregistered",
                "vendor.no-nda",
                "vendor.checklist-missing",
                "vendor.mds-sds-missing",
                "contact.missing-role",
                "contact.unverified",
                "ledger.unknown-value",
                "backup.missing",
                "backup.stale",
                "backup.few-generations",
                "backup.no-offline-copy",
                "backup.same-credentials",
                "backup.restore-untested",
                "backup.encrypted-suspect",
                "backup.ransom-note",
                "backup.mass-change",
                "bcp.missing",
                "bcp.stale",
                "bcp.no-exercise",
                "bcp.rto-undefined",
                "bcp.rto-unrealistic",
                "gateway.admin-exposed",
                "gateway.admin-no-trusthost",
                "gateway.admin-no-mfa",
                "gateway.default-admin",
                "gateway.vpn-exposed",
                "gateway.vpn-user-no-mfa",
                "gateway.vpn-any-source",
                "gateway.telnet-enabled",
                "gateway.weak-tls",
                "gateway.no-remote-logging",
                "vuln.known-exploited",
                "vuln.cve",
                "vuln.feed-stale",
                "vuln.unmapped-asset",
                "checklist.contradiction",
                "checklist.unanswered",
                "checklist.no-target-date",
                "holiday.before-incomplete",
                "holiday.after-incomplete",
            ]
        );
    }

    /// The checklist data names rules that exist, and (for the 医療機関確認用) rules that
    /// list the item among the checklist items they serve.
    #[test]
    fn checklist_items_name_existing_rules_that_serve_them() {
        for list in catalog::checklists() {
            for item in &list.items {
                for id in &item.contradicted_by {
                    let r = rule(id).unwrap_or_else(|| panic!("{}: unknown rule {id}", item.key));
                    if list.list == "institution" {
                        assert!(
                            r.checklist.contains(&item.key.as_str()),
                            "{id} does not list {} among its checklist items",
                            item.key
                        );
                    }
                }
            }
        }
    }
}
