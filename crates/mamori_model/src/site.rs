//! The site: one hospital or clinic as described by its site folder.
//!
//! These records are what the ledgers (台帳) say after parsing; every record remembers the file
//! and row it came from so that findings can cite it.

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use crate::finding::SourceRef;

/// Everything mamori knows about one site, as read from its folder.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub config: SiteConfig,
    pub assets: Vec<Asset>,
    pub vendors: Vec<Vendor>,
    pub connections: Vec<Connection>,
    pub accounts: Vec<Account>,
    pub staff: Vec<Staff>,
    pub contacts: Vec<Contact>,
    /// Gateway configuration backups from `configs/`.
    pub gateways: Vec<crate::gateway::Gateway>,
    /// `checklist.toml`: checklist answers and vendor checklists.
    pub checklist: crate::answers::ChecklistAnswers,
    /// `holiday.toml`: the year-end programme's progress.
    pub holiday: crate::answers::HolidayRecord,
}

impl Site {
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }

    /// The firmware version to match vulnerabilities against: what a linked configuration
    /// backup states wins over the ledger, which is often stale.
    pub fn effective_version<'a>(&'a self, asset: &'a Asset) -> &'a str {
        self.gateways
            .iter()
            .filter(|g| g.asset.as_deref() == Some(asset.id.as_str()))
            .find_map(|g| g.firmware.as_ref().filter(|f| !f.partial))
            .map_or(asset.version.as_str(), |f| f.version.as_str())
    }
}

/// `hospital` or `clinic`: a clinic gets simpler wording, not weaker checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    #[default]
    Hospital,
    Clinic,
}

/// `site.toml`, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteConfig {
    /// Stable key of the site in the store; defaults to the institution name.
    pub id: String,
    pub name: String,
    pub kind: SiteKind,
    pub hours: BusinessHours,
    pub closures: Closures,
    pub thresholds: Thresholds,
    /// How many of the latest runs keep their full findings in the database; older runs keep
    /// their summary (site.toml `[database] keep_runs`).
    pub keep_runs: u32,
}

/// Runs whose full findings the database keeps when site.toml says nothing.
pub const DEFAULT_KEEP_RUNS: u32 = 100;

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            kind: SiteKind::Hospital,
            hours: BusinessHours::default(),
            closures: Closures::default(),
            thresholds: Thresholds::default(),
            keep_runs: DEFAULT_KEEP_RUNS,
        }
    }
}

/// When the institution is normally open (外来・事務の業務時間). Logons outside these hours are
/// what later log checks call off-hours.
#[derive(Clone, Debug, PartialEq)]
pub struct BusinessHours {
    pub open: Time,
    pub close: Time,
    pub days: Vec<Weekday>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self {
            open: Time::constant(8, 30, 0, 0),
            close: Time::constant(17, 30, 0, 0),
            days: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ],
        }
    }
}

/// Closed days beyond the weekly pattern: the 年末年始 window and the site's own days.
#[derive(Clone, Debug, PartialEq)]
pub struct Closures {
    /// First and last day of the year-end closure as (month, day); 12/29–1/3 by default.
    pub year_end_start: (i8, i8),
    pub year_end_end: (i8, i8),
    /// Extra closed days (創立記念日 and the like).
    pub extra_days: Vec<Date>,
    /// National holidays (祝日) are closed days; on by default.
    pub national_holidays: bool,
}

impl Default for Closures {
    fn default() -> Self {
        Self {
            year_end_start: (12, 29),
            year_end_end: (1, 3),
            extra_days: Vec::new(),
            national_holidays: true,
        }
    }
}

impl Closures {
    /// The year-end closure that starts in December of `year` (it may run into January).
    pub fn year_end_window(&self, year: i16) -> Option<(Date, Date)> {
        let (sm, sd) = self.year_end_start;
        let (em, ed) = self.year_end_end;
        let start = Date::new(year, sm, sd).ok()?;
        let end_year = if (em, ed) < (sm, sd) { year + 1 } else { year };
        let end = Date::new(end_year, em, ed).ok()?;
        Some((start, end))
    }

    /// The closure window that contains `day`, or the next one to start after it.
    pub fn current_or_next_year_end(&self, day: Date) -> Option<(Date, Date)> {
        [day.year() - 1, day.year(), day.year() + 1]
            .into_iter()
            .filter_map(|y| self.year_end_window(y))
            .find(|(_, end)| *end >= day)
    }
}

/// Check thresholds; each can be overridden in `site.toml` under `[thresholds]`.
/// `docs/site-format.md` gives the reason for every default.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    pub account_stale_days: i64,
    pub password_max_age_days: i64,
    pub gateway_patch_days: i64,
    pub patch_days: i64,
    pub av_days: i64,
    pub contact_verify_days: i64,
    pub contact_before_closure_days: i64,
    pub end_of_support_warn_days: i64,
    /// User names that are generic rather than a person's (lower case).
    pub generic_usernames: Vec<String>,
    /// Log detections: counts and windows (minutes); see `docs/hunt.md` for the reasons.
    pub log_bruteforce_failures: i64,
    pub log_bruteforce_window_minutes: i64,
    pub log_spray_accounts: i64,
    pub log_spray_window_minutes: i64,
    pub log_distributed_sources: i64,
    pub log_distributed_window_minutes: i64,
    pub log_success_after_failures: i64,
    pub log_success_window_minutes: i64,
    /// `vuln.feed-stale`: vulnerability data older than this many days.
    pub vuln_feed_max_age_days: i64,
    /// `vuln.cve`: report CVEs (not in KEV) from this CVSS base score up (7 = high).
    pub vuln_cve_min_cvss: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            account_stale_days: 90,
            password_max_age_days: 365,
            gateway_patch_days: 30,
            patch_days: 90,
            av_days: 7,
            contact_verify_days: 180,
            contact_before_closure_days: 30,
            end_of_support_warn_days: 180,
            generic_usernames: [
                "admin",
                "administrator",
                "root",
                "user",
                "test",
                "guest",
                "demo",
                "temp",
                "staff",
                "shared",
                "kanri",
                "maintenance",
                "support",
                "operator",
            ]
            .map(String::from)
            .to_vec(),
            log_bruteforce_failures: 10,
            log_bruteforce_window_minutes: 10,
            log_spray_accounts: 10,
            log_spray_window_minutes: 60,
            log_distributed_sources: 5,
            log_distributed_window_minutes: 60,
            log_success_after_failures: 3,
            vuln_feed_max_age_days: 7,
            vuln_cve_min_cvss: 7,
            log_success_window_minutes: 60,
        }
    }
}

/// What kind of device an asset is (種別).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    Server,
    Pc,
    Network,
    Gateway,
    Vpn,
    Iot,
    MedicalDevice,
    Printer,
    Nas,
    Other,
}

impl AssetKind {
    /// Devices that sit on the boundary to the internet or to vendors: the way in at 半田病院
    /// and 大阪急性期・総合医療センター.
    pub fn is_boundary(self) -> bool {
        matches!(self, AssetKind::Gateway | AssetKind::Vpn)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Server => "server",
            AssetKind::Pc => "pc",
            AssetKind::Network => "network",
            AssetKind::Gateway => "gateway",
            AssetKind::Vpn => "vpn",
            AssetKind::Iot => "iot",
            AssetKind::MedicalDevice => "medical-device",
            AssetKind::Printer => "printer",
            AssetKind::Nas => "nas",
            AssetKind::Other => "other",
        }
    }
}

/// One row of the device ledger (機器台帳).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asset {
    pub id: String,
    pub name: String,
    pub kind: Option<AssetKind>,
    pub vendor: String,
    pub product: String,
    pub version: String,
    pub ip: String,
    pub internet_facing: Option<bool>,
    pub owner: String,
    pub location: String,
    /// Vendor id of the maintenance company (保守事業者).
    pub managed_by: String,
    pub last_patched: Option<Date>,
    pub av_updated: Option<Date>,
    pub end_of_support: Option<Date>,
    /// Serial number; ties a configuration backup to this asset.
    pub serial: String,
    pub cpe: String,
    pub origin: SourceRef,
}

impl Asset {
    /// Internet-facing, or a gateway/VPN device: where an attack starts.
    pub fn is_exposed(&self) -> bool {
        self.internet_facing == Some(true) || self.kind.is_some_and(AssetKind::is_boundary)
    }
}

/// One vendor (事業者) the site works with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub services: String,
    pub contract: String,
    pub nda: Option<bool>,
    /// When the vendor's 事業者確認用 checklist came back.
    pub checklist_returned: Option<Date>,
    pub mds_sds_received: Option<Date>,
    pub origin: SourceRef,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionKind {
    Vpn,
    RemoteDesktop,
    LeasedLine,
    Internet,
    Cloud,
}

impl ConnectionKind {
    /// A way for someone outside to reach inside: remote maintenance lines.
    pub fn is_remote_access(self) -> bool {
        matches!(self, ConnectionKind::Vpn | ConnectionKind::RemoteDesktop)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Vpn => "vpn",
            ConnectionKind::RemoteDesktop => "remote-desktop",
            ConnectionKind::LeasedLine => "leased-line",
            ConnectionKind::Internet => "internet",
            ConnectionKind::Cloud => "cloud",
        }
    }
}

/// A network connection point with a vendor or the internet (ネットワーク接続点).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Connection {
    pub id: String,
    pub vendor: String,
    pub asset: String,
    pub kind: Option<ConnectionKind>,
    pub purpose: String,
    pub source_restricted: Option<bool>,
    pub mfa: Option<bool>,
    pub always_on: Option<bool>,
    pub origin: SourceRef,
}

/// One account of one system (AD, 電子カルテ, the VPN gateway…).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    pub system: String,
    pub username: String,
    pub display_name: String,
    pub employee_id: String,
    pub enabled: Option<bool>,
    pub privileged: Option<bool>,
    pub mfa: Option<bool>,
    pub last_logon: Option<Date>,
    pub password_last_set: Option<Date>,
    pub shared: Option<bool>,
    pub origin: SourceRef,
}

impl Account {
    /// `system/username`, the stable key of an account.
    pub fn key(&self) -> String {
        format!("{}/{}", self.system, self.username.to_lowercase())
    }

    /// Accounts count as enabled unless the export says otherwise.
    pub fn is_enabled(&self) -> bool {
        self.enabled != Some(false)
    }

    pub fn is_privileged(&self) -> bool {
        self.privileged == Some(true)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffStatus {
    Active,
    Left,
}

/// One person on the staff roster (職員名簿).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Staff {
    pub employee_id: String,
    pub name: String,
    pub department: String,
    pub status: Option<StaffStatus>,
    pub left_on: Option<Date>,
    pub origin: SourceRef,
}

impl Staff {
    /// Has this person left by `day`? A future 退職日 does not count yet.
    pub fn has_left(&self, day: Date) -> bool {
        match (self.status, self.left_on) {
            (_, Some(left_on)) => left_on <= day,
            (Some(StaffStatus::Left), None) => true,
            _ => false,
        }
    }
}

/// One entry of the emergency phone list (緊急連絡先).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    /// `vendor`, `police`, `mhlw`, `jma`, `internal`, … (lower case).
    pub role: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub verified_on: Option<Date>,
    pub origin: SourceRef,
}

/// The 令和 year of a fiscal year named by its starting calendar year (2026 → 令和8年度).
pub fn reiwa(fiscal_year: i16) -> i16 {
    fiscal_year - 2018
}

/// The fiscal year (年度, April–March) that contains `day`, named by its starting year.
pub fn fiscal_year(day: Date) -> i16 {
    if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn fiscal_year_starts_in_april() {
        assert_eq!(fiscal_year(date(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(date(2026, 4, 1)), 2026);
    }

    #[test]
    fn year_end_window_crosses_new_year() {
        let c = Closures::default();
        assert_eq!(
            c.year_end_window(2026),
            Some((date(2026, 12, 29), date(2027, 1, 3)))
        );
        assert_eq!(
            c.current_or_next_year_end(date(2027, 1, 2)),
            Some((date(2026, 12, 29), date(2027, 1, 3)))
        );
        assert_eq!(
            c.current_or_next_year_end(date(2027, 1, 4)),
            Some((date(2027, 12, 29), date(2028, 1, 3)))
        );
    }

    #[test]
    fn leaving_date_in_future_does_not_count_yet() {
        let s = Staff {
            status: Some(StaffStatus::Left),
            left_on: Some(date(2026, 12, 31)),
            ..Staff::default()
        };
        assert!(!s.has_left(date(2026, 11, 21)));
        assert!(s.has_left(date(2026, 12, 31)));
    }
}
