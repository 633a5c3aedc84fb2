//! Every rule mamori has, site checks and log detections together: the one registry that
//! `mamori rules`, `docs/checks.md` and (later) the dashboard list.

use mamori_model::RuleInfo;

/// Every rule: the site checks in report order, the log and traffic detections, the mail rules.
pub fn all() -> Vec<&'static RuleInfo> {
    mamori_checks::RULES
        .iter()
        .map(|r| &r.info)
        .chain(mamori_hunt::RULES.iter().map(|r| &r.info))
        .chain(mamori_hunt::TRAFFIC_RULES.iter().map(|r| &r.info))
        .chain(mamori_mail::RULES.iter().map(|r| &r.info))
        .collect()
}

/// The rule with this public id.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    all().into_iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_across_checks_and_detections() {
        let mut ids: Vec<&str> = all().iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(rule("log.bruteforce").is_some() && rule("account.leaver-enabled").is_some());
        for id in [
            "mail.auth-failed",
            "mail.sender-mismatch",
            "mail.lookalike-domain",
            "mail.link-mismatch",
            "mail.blocklisted",
            "mail.dangerous-attachment",
            "mail.urgent-lure",
            "net.blocklisted-domain",
            "net.blocklisted-ip",
            "net.beaconing",
            "net.new-destination-after-holiday",
        ] {
            assert!(rule(id).is_some(), "{id}: a public rule id");
        }
    }

    #[test]
    fn docs_checks_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
        let fresh = mamori_checks::registry::render_docs(&all());
        if std::env::var_os("MAMORI_BLESS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == fresh,
            "docs/checks.md is out of date: run `MAMORI_BLESS=1 cargo test -p mamori_app`"
        );
    }
}
