//! Connection-point checks: who can come in through each line, how they prove who they are, and
//! whether the other end is known.

pub mod no_mfa;
pub mod no_source_restriction;
pub mod unregistered;

use mamori_model::site::{Connection, Site};
use mamori_model::{Lang, Subject, SubjectKind};

pub(crate) fn connection_subject(site: &Site, c: &Connection) -> Subject {
    let vendor = vendor_name(site, c);
    let name = [vendor, c.purpose.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    Subject::new(SubjectKind::Connection, &c.id, name)
}

/// 「給食委託業者 / VPN / 献立システム保守」-like name in both languages: vendor name, kind and
/// purpose.
pub(crate) fn connection_label(site: &Site, c: &Connection) -> (String, String) {
    let vendor = vendor_name(site, c);
    let label = |lang| {
        let kind = c.kind.map_or("", |k| k.label(lang));
        [vendor, kind, c.purpose.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    (label(Lang::Ja), label(Lang::En))
}

fn vendor_name<'a>(site: &'a Site, c: &'a Connection) -> &'a str {
    site.vendors
        .iter()
        .find(|v| v.id == c.vendor)
        .map_or(c.vendor.as_str(), |v| v.name.as_str())
}
