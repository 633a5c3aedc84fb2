//! Connection-point checks: who can come in through each line, how they prove who they are, and
//! whether the other end is known.

pub mod no_mfa;
pub mod no_source_restriction;
pub mod unregistered;

use mamori_model::site::{Connection, Site};
use mamori_model::{Subject, SubjectKind};

pub(crate) fn connection_subject(site: &Site, c: &Connection) -> Subject {
    Subject::new(SubjectKind::Connection, &c.id, connection_label(site, c))
}

/// 「給食委託業者 VPN（業務: 献立システム保守）」-like name: vendor name and purpose.
pub(crate) fn connection_label(site: &Site, c: &Connection) -> String {
    let vendor = site
        .vendors
        .iter()
        .find(|v| v.id == c.vendor)
        .map_or(c.vendor.as_str(), |v| v.name.as_str());
    let kind = c.kind.map_or("", |k| k.as_str());
    [vendor, kind, c.purpose.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" / ")
}
