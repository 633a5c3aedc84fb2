//! Backup checks: is each system with patient data backed up, recently, in enough generations,
//! with a copy ransomware cannot reach, under credentials the domain does not hold, and has a
//! restore been tried? The ledger's word is checked here; what a scan of a destination finds
//! (encrypted files, ransom notes, mass changes) is checked by the scan rules.

pub mod encrypted_suspect;
pub mod few_generations;
pub mod mass_change;
pub mod missing;
pub mod no_offline_copy;
pub mod ransom_note;
pub mod restore_untested;
pub mod same_credentials;
pub mod stale;

use mamori_model::backup::BackupJob;
use mamori_model::site::{Asset, Site};
use mamori_model::{Subject, SubjectKind};

/// A system as the backup and BCP checks see it: a device of the ledger, or a name.
pub(crate) struct System<'a> {
    /// The device, when the name is one of the 機器台帳.
    pub asset: Option<&'a Asset>,
    /// The name as the backup or BCP table writes it (or the device's id).
    pub name: String,
}

impl System<'_> {
    /// The finding's subject: the device, else the system by name.
    pub fn subject(&self) -> Subject {
        match self.asset {
            Some(a) => crate::assets::asset_subject(a),
            None => Subject::new(SubjectKind::System, &self.name, &self.name),
        }
    }

    /// 「電子カルテサーバ（主）（SRV-EMR-01）」 or the name.
    pub fn label(&self) -> String {
        self.asset
            .map_or_else(|| self.name.clone(), crate::assets::asset_label)
    }
}

/// The device a name in the backup or BCP tables stands for (its id or name), if any.
pub(crate) fn resolve<'a>(site: &'a Site, name: &str) -> System<'a> {
    let folded = name.to_lowercase();
    let asset = site
        .assets
        .iter()
        .find(|a| a.id.to_lowercase() == folded || a.name.to_lowercase() == folded);
    System {
        asset,
        name: name.to_owned(),
    }
}

/// Whether a table's system name covers the device ([`Asset::is_covered_by`]).
pub(crate) fn covers(system: &str, asset: &Asset) -> bool {
    asset.is_covered_by(system)
}

/// The devices that hold patient data ([`Asset::holds_patient_data`]).
pub(crate) fn patient_data_assets(site: &Site) -> impl Iterator<Item = &Asset> {
    site.assets.iter().filter(|a| a.holds_patient_data())
}

/// The backup jobs of a device.
pub(crate) fn jobs_of<'a>(site: &'a Site, asset: &Asset) -> Vec<&'a BackupJob> {
    site.backups
        .iter()
        .filter(|j| covers(&j.system, asset))
        .collect()
}

/// The backup jobs grouped by the system they name, in ledger order.
pub(crate) fn systems(site: &Site) -> Vec<(System<'_>, Vec<&BackupJob>)> {
    let mut out: Vec<(System<'_>, Vec<&BackupJob>)> = Vec::new();
    for job in &site.backups {
        match out.iter_mut().find(|(s, _)| s.name == job.system) {
            Some((_, jobs)) => jobs.push(job),
            None => out.push((resolve(site, &job.system), vec![job])),
        }
    }
    out
}
