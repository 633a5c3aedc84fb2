//! `gateway audit`: the gateway checks on configuration backups, without a site folder.
//! Findings name the device by its hostname.

use std::path::PathBuf;

use mamori_checks::{CheckContext, run_group};
use mamori_ingest::configs::read_config_files;
use mamori_model::site::Site;
use mamori_model::{Finding, Localized};

use crate::Clock;

/// What the audit read and found.
pub struct GatewayAudit {
    /// The configurations read, as gateway facts (`site.gateways`).
    pub site: Site,
    /// Files not read, with the reason.
    pub skipped: Vec<(String, Localized)>,
    /// The gateway checks' findings.
    pub findings: Vec<Finding>,
}

/// Reads every configuration under `paths` and runs the gateway checks as of today.
pub fn audit(paths: &[PathBuf], clock: &Clock) -> GatewayAudit {
    let mut site = Site::default();
    let mut skipped = Vec::new();
    for config in read_config_files(paths, None, |p| p.display().to_string()) {
        match config.result {
            Ok(g) => site.gateways.push(g),
            Err(reason) => skipped.push((config.file, reason)),
        }
    }
    let findings = run_group(&CheckContext::new(&site, clock.today()), "gateway");
    GatewayAudit {
        site,
        skipped,
        findings,
    }
}
