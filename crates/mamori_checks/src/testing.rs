//! Small builders for check tests: a site with only the rows a test needs.

use jiff::civil::{Date, date};
use mamori_model::site::{Account, Asset, AssetKind, Site};
use mamori_model::{Finding, SourceRef};

use crate::{CheckContext, Rule};

/// The evaluation day of every check test.
pub const TODAY: Date = date(2026, 11, 21);

pub fn check(rule: &Rule, site: &Site) -> Vec<Finding> {
    (rule.run)(&CheckContext::new(site, TODAY), rule)
}

pub fn check_on(rule: &Rule, site: &Site, as_of: Date) -> Vec<Finding> {
    (rule.run)(&CheckContext::new(site, as_of), rule)
}

pub fn origin(file: &str, line: u64) -> SourceRef {
    SourceRef::row(file, line)
}

pub fn account(system: &str, username: &str) -> Account {
    Account {
        system: system.into(),
        username: username.into(),
        enabled: Some(true),
        origin: origin("accounts.csv", 2),
        ..Account::default()
    }
}

pub fn asset(id: &str, kind: AssetKind) -> Asset {
    Asset {
        id: id.into(),
        name: format!("{id}-name"),
        kind: Some(kind),
        origin: origin("assets.csv", 2),
        ..Asset::default()
    }
}

pub fn days_ago(days: i64) -> Date {
    TODAY.checked_sub(jiff::Span::new().days(days)).unwrap()
}

/// A gateway read from FortiOS configuration text, as `configs/` would give it.
pub fn fortigate(text: &str) -> mamori_model::gateway::Gateway {
    mamori_ingest::configs::read_config(
        "fg.conf",
        format!("config system global\nend\n{text}").as_bytes(),
    )
    .expect("FortiOS text")
}

/// A gateway read from Cisco ASA configuration text.
pub fn asa(text: &str) -> mamori_model::gateway::Gateway {
    mamori_ingest::configs::read_config(
        "asa.cfg",
        format!("ASA Version 9.16(4)\n{text}").as_bytes(),
    )
    .expect("ASA text")
}

pub fn site_with(gateways: Vec<mamori_model::gateway::Gateway>) -> Site {
    Site {
        gateways,
        ..Site::default()
    }
}
