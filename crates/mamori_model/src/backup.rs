//! Backups, restore drills and the business-continuity plan (BCP) as the site records them.
//!
//! In the Japanese hospital attacks the backups sat on the same network and were encrypted with
//! everything else, and nobody had tried to restore them: recovery took months. These records
//! are what the `backup.*` and `bcp.*` checks read; what a scan of a backup destination finds
//! is [`BackupScan`].

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::input::UnknownValue;
use crate::{Localized, SourceRef};

/// Where a backup is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DestinationKind {
    /// Network storage on the site's network: reachable by ransomware unless kept offline.
    Nas,
    /// A server's disk or a shared folder.
    Server,
    /// An external disk that can be unplugged (外付けHDD).
    ExternalDisk,
    /// Tape.
    Tape,
    /// A cloud service.
    Cloud,
    /// Anything else.
    Other,
}

impl DestinationKind {
    /// Can be kept out of reach of the network by its nature (unplugged disk, tape).
    pub fn removable(self) -> bool {
        matches!(self, DestinationKind::ExternalDisk | DestinationKind::Tape)
    }

    /// The kind's name for people.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (ja, en) = match self {
            DestinationKind::Nas => ("NAS", "NAS"),
            DestinationKind::Server => ("サーバ・共有フォルダ", "server or share"),
            DestinationKind::ExternalDisk => ("外付けHDD", "external disk"),
            DestinationKind::Tape => ("テープ", "tape"),
            DestinationKind::Cloud => ("クラウド", "cloud"),
            DestinationKind::Other => ("その他", "other"),
        };
        crate::tr(lang, ja, en)
    }
}

/// One backup job of the バックアップ台帳.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackupJob {
    /// The system backed up: an asset id of the 機器台帳 or a system name (電子カルテ).
    pub system: String,
    /// What is backed up (データベース, 画像, ファイル一式).
    pub data: String,
    /// Where it is written (a path, a NAS name, a cloud service).
    pub destination: String,
    /// What kind of place that is.
    pub destination_kind: Option<DestinationKind>,
    /// The method or software (Windows Server バックアップ, Veeam, rsync).
    pub method: String,
    /// Days between runs (毎日 = 1, 毎週 = 7, 毎月 = 31): how old the last success may be.
    pub every_days: Option<i64>,
    /// How many generations are kept.
    pub generations: Option<i64>,
    /// A copy kept offline or immutable, out of reach of ransomware.
    pub offline_copy: Option<bool>,
    /// How (外付けHDD交換, テープ, WORM, クラウドの不変ストレージ).
    pub offline_how: String,
    /// The backup's credentials are separate from the Windows domain's: an attacker with the
    /// domain cannot delete the backups.
    pub separate_credentials: Option<bool>,
    /// The day of the last successful backup.
    pub last_success: Option<Date>,
    /// The day of the last restore test.
    pub last_restore_test: Option<Date>,
    /// Whether that test succeeded.
    pub restore_succeeded: Option<bool>,
    /// How long that restore took, in minutes.
    pub restore_minutes: Option<i64>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

/// One restore drill of the 復元訓練記録.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestoreDrill {
    /// The day of the drill.
    pub date: Option<Date>,
    /// The system restored (asset id or system name).
    pub system: String,
    /// What was restored.
    pub restored: String,
    /// How long it took, in minutes: compared with the BCP's target.
    pub minutes: Option<i64>,
    /// Whether the data came back whole.
    pub succeeded: Option<bool>,
    /// Who did it.
    pub by: String,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

/// One system's plan in the BCP一覧: how the site works without it and how fast it must return.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BcpPlan {
    /// The system (asset id or system name).
    pub system: String,
    /// Restore order (1 first).
    pub priority: Option<i64>,
    /// Target restore time (RTO), in hours.
    pub rto_hours: Option<i64>,
    /// The paper or downtime procedure (紙カルテ運用).
    pub downtime_procedure: String,
    /// Where the plan and the forms are kept (printed: the file server may be encrypted).
    pub kept_at: String,
    /// The day of the last exercise of the plan.
    pub last_exercise: Option<Date>,
    /// Whether the last exercise went as planned.
    pub exercise_succeeded: Option<bool>,
    /// The day the plan was last reviewed.
    pub last_review: Option<Date>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

/// The most suspect files and ransom notes a scan lists by name; beyond it they are counted.
pub const MAX_LISTED: usize = 1000;

/// Why a file looks encrypted by ransomware.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum Suspicion {
    /// Its name ends with a ransomware extension.
    Extension {
        /// The extension (`.lockbit`).
        extension: String,
    },
    /// The bytes are not the format its extension names.
    Magic {
        /// What the extension promised (`PDF`, `ZIP (docx/xlsx)`, `text`).
        expected: &'static str,
    },
    /// A block that should be compressible reads as random.
    Entropy {
        /// Bits per byte of the most random sampled block (8 = random).
        bits: f32,
    },
}

/// Backup software whose repository layout mamori recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repository {
    /// restic: `config`, `data/`, `index/`, `keys/`, `snapshots/`; snapshot files are encrypted
    /// but can be counted (one per snapshot).
    Restic,
    /// Borg: a `README` naming it; its archive list is encrypted: recognised, not read.
    Borg,
    /// Veeam: `.vbk` full and `.vib`/`.vrb` incremental files, one per restore point.
    Veeam,
    /// Windows Server バックアップ: `WindowsImageBackup/<host>/Backup YYYY-MM-DD HHMMSS/`.
    WindowsServerBackup,
}

impl Repository {
    /// The software's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Repository::Restic => "restic",
            Repository::Borg => "Borg",
            Repository::Veeam => "Veeam",
            Repository::WindowsServerBackup => "Windows Server バックアップ",
        }
    }
}

/// A generation: a dated folder or archive, a snapshot, a restore point.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Generation {
    /// Its name under the destination.
    pub name: String,
    /// The date its name carries.
    pub date: Option<Date>,
    /// Its newest file's modification time.
    pub newest: Option<Timestamp>,
    /// Files in it.
    pub files: u64,
}

/// A file judged encrypted, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Suspect {
    /// The file, relative to the destination.
    pub file: String,
    /// Why.
    #[serde(flatten)]
    pub suspicion: Suspicion,
}

/// What could not be scanned, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The path, relative to the destination.
    pub path: String,
    /// Why.
    pub reason: Localized,
}

/// One file as the manifest keeps it, to compare with the next scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// Relative path.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, Unix seconds.
    pub modified: i64,
    /// FNV-1a of the sampled bytes and the size: changes when the content is rewritten.
    pub fingerprint: u64,
}

/// What a scan of one destination found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DestinationScan {
    /// The destination as given.
    pub root: String,
    /// Files seen.
    pub files: u64,
    /// Their total size.
    pub bytes: u64,
    /// Bytes read to judge content.
    pub sampled_bytes: u64,
    /// Milliseconds spent walking the folders (metadata).
    pub walk_ms: u64,
    /// Milliseconds spent reading and judging the samples.
    pub sample_ms: u64,
    /// The newest file's modification time.
    pub newest: Option<Timestamp>,
    /// Generations found (dated folders and archives, snapshots, restore points).
    pub generations: Vec<Generation>,
    /// Backup software recognised.
    pub repository: Option<Repository>,
    /// Files that look encrypted (at most [`MAX_LISTED`]).
    pub suspects: Vec<Suspect>,
    /// All of them, listed or not.
    pub suspect_count: u64,
    /// Ransom notes found (at most [`MAX_LISTED`]).
    pub ransom_notes: Vec<String>,
    /// All of them.
    pub ransom_note_count: u64,
    /// What could not be scanned.
    pub problems: Vec<Problem>,
    /// Every file, for the next scan's comparison (not in the JSON).
    #[serde(skip)]
    pub manifest: Vec<ManifestEntry>,
    /// What changed since the previous scan of this destination, when there was one.
    pub changes: Option<Changes>,
}

/// A destination compared with its previous scan: ransomware rewrites and renames files in
/// bulk; a backup adds a generation and prunes an old one.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Changes {
    /// When the previous scan was made.
    pub previous_at: String,
    /// Files in the previous scan.
    pub previous_files: u64,
    /// Previous files no longer there (deleted or renamed).
    pub gone: u64,
    /// Files still there whose content changed.
    pub rewritten: u64,
    /// Files that are new.
    pub added: u64,
    /// (gone + rewritten) as a percentage of the previous files.
    pub percent: f64,
}

impl Changes {
    /// Compares a scan's manifest with the previous one.
    pub fn between(
        previous: &[ManifestEntry],
        previous_at: &str,
        now: &[ManifestEntry],
    ) -> Changes {
        let before: std::collections::HashMap<&str, &ManifestEntry> =
            previous.iter().map(|e| (e.path.as_str(), e)).collect();
        let mut seen = 0u64;
        let mut rewritten = 0u64;
        for e in now {
            if let Some(old) = before.get(e.path.as_str()) {
                seen += 1;
                if old.fingerprint != e.fingerprint {
                    rewritten += 1;
                }
            }
        }
        let previous_files = previous.len() as u64;
        let gone = previous_files - seen;
        let percent = if previous_files == 0 {
            0.0
        } else {
            (gone + rewritten) as f64 * 100.0 / previous_files as f64
        };
        Changes {
            previous_at: previous_at.to_owned(),
            previous_files,
            gone,
            rewritten,
            added: now.len() as u64 - seen,
            percent,
        }
    }
}

/// Words in a device's name or product that mean it holds patient data: 電子カルテ, PACS,
/// レセコン, a file server. Such a system must have a backup and a plan.
pub const PATIENT_DATA_WORDS: &[&str] = &[
    "電子カルテ",
    "カルテ",
    "emr",
    "pacs",
    "画像",
    "レセコン",
    "レセプト",
    "医事",
    "検査",
    "ファイルサーバ",
    "file server",
    "fileserver",
    "オーダ",
];

/// Whether a name (a device's name, product or a system name) names a system with patient data.
pub fn names_patient_data(name: &str) -> bool {
    let lower = name.to_lowercase();
    PATIENT_DATA_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_data_systems_are_named_as_people_name_them() {
        assert!(names_patient_data("電子カルテサーバ（主）"));
        assert!(names_patient_data("PACS-01"));
        assert!(names_patient_data("レセコン"));
        assert!(!names_patient_data("コアスイッチ"));
    }
}
