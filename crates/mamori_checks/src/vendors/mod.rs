//! Vendor checks: confidentiality agreement, the yearly 事業者確認用 checklist, MDS/SDS.

pub mod checklist_missing;
pub mod mds_sds_missing;
pub mod no_nda;

use mamori_model::site::{Site, Vendor};
use mamori_model::{Subject, SubjectKind};

pub(crate) fn vendor_subject(v: &Vendor) -> Subject {
    Subject::new(SubjectKind::Vendor, &v.id, &v.name)
}

pub(crate) fn vendor_label(v: &Vendor) -> String {
    if v.name.is_empty() {
        v.id.clone()
    } else {
        format!("{}（{}）", v.name, v.id)
    }
}

/// Does the vendor reach inside: a connection point, or devices it maintains?
pub(crate) fn has_access(site: &Site, v: &Vendor) -> bool {
    site.connections.iter().any(|c| c.vendor == v.id)
        || site.assets.iter().any(|a| a.managed_by == v.id)
}
