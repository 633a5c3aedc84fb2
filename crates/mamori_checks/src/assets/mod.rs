//! Asset checks: support status, patches, antivirus definitions, unknown versions, devices on
//! the network the ledger lacks.

pub mod av_stale;
pub mod cleartext_service;
pub mod end_of_support;
pub mod patch_stale;
mod scan;
pub mod unregistered;
pub mod version_mismatch;
pub mod version_unknown;

use mamori_model::site::Asset;
use mamori_model::{Subject, SubjectKind};

pub(crate) fn asset_subject(asset: &Asset) -> Subject {
    Subject::new(SubjectKind::Asset, &asset.id, &asset.name)
}

/// A finding about one device at the rule's default severity, proven by its ledger row.
pub(crate) fn asset_finding(
    rule: &crate::Rule,
    asset: &Asset,
    message: mamori_model::Localized,
) -> mamori_model::Finding {
    let evidence = mamori_model::Evidence::default().source(asset.origin.clone());
    rule.finding(
        asset_subject(asset),
        rule.default_severity,
        message,
        evidence,
    )
}

/// 「機器名（ID）」 for messages.
pub(crate) fn asset_label(asset: &Asset) -> String {
    if asset.name.is_empty() {
        asset.id.clone()
    } else {
        format!("{}（{}）", asset.name, asset.id)
    }
}

/// 「インターネット接続」/「境界機器」, why an asset counts as exposed, for messages.
pub(crate) fn exposure_note(asset: &Asset) -> (&'static str, &'static str) {
    if asset.internet_facing == Some(true) {
        ("インターネットに接続", "internet-facing")
    } else if asset.is_exposed() {
        ("ゲートウェイ/VPN機器", "gateway/VPN device")
    } else {
        ("院内機器", "internal device")
    }
}
