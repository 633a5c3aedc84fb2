//! The site: one hospital or clinic as described by its site folder.
//!
//! These records are what the ledgers (台帳) say after parsing; every record remembers the file
//! and row it came from so that findings can cite it.

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use crate::finding::SourceRef;
pub use crate::input::UnknownValue;

/// Everything mamori knows about one site, as read from its folder.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// `site.toml`: the site's name, kind, hours, closures and thresholds.
    pub config: SiteConfig,
    /// 機器台帳: every device, with version and patch dates.
    pub assets: Vec<Asset>,
    /// 事業者一覧: the companies that maintain or connect to the systems.
    pub vendors: Vec<Vendor>,
    /// 接続点一覧: every way in from outside (vendor VPNs, remote desktop, lines).
    pub connections: Vec<Connection>,
    /// アカウント台帳: the accounts of every system, who owns them, their rights.
    pub accounts: Vec<Account>,
    /// 職員名簿: who works here and who has left (to find leavers' accounts).
    pub staff: Vec<Staff>,
    /// 緊急連絡先: whom to call when it happens.
    pub contacts: Vec<Contact>,
    /// バックアップ台帳: what is backed up, where, how often, with an offline copy or not.
    pub backups: Vec<crate::backup::BackupJob>,
    /// 復元訓練記録: restores actually tried.
    pub restore_drills: Vec<crate::backup::RestoreDrill>,
    /// BCP一覧: each system's plan for working without it and its target restore time.
    pub bcp: Vec<crate::backup::BcpPlan>,
    /// What scans of the backup destinations found (site.toml `[backup] scan`, or
    /// `mamori backup scan`).
    pub backup_scans: Vec<crate::backup::DestinationScan>,
    /// Gateway configuration backups from `configs/`.
    pub gateways: Vec<crate::gateway::Gateway>,
    /// Active Directory as read over LDAP (site.toml `[ad]`), when it was.
    pub directory: Option<crate::directory::Directory>,
    /// Hosts found up by the network scans in `scans/` (nmap XML).
    pub discovered: Vec<crate::discovery::DiscoveredHost>,
    /// `checklist.toml`: checklist answers and vendor checklists.
    pub checklist: crate::answers::ChecklistAnswers,
    /// `holiday.toml`: the year-end programme's progress.
    pub holiday: crate::answers::HolidayRecord,
}

impl Site {
    /// The device with this asset id, to resolve references between tables.
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

/// For `mamori init --kind`: `clinic`/`診療所` or `hospital`/`病院`.
impl std::str::FromStr for SiteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "clinic" | "診療所" => Ok(SiteKind::Clinic),
            "hospital" | "病院" => Ok(SiteKind::Hospital),
            _ => Err("clinic（診療所）か hospital（病院）/ clinic or hospital".to_owned()),
        }
    }
}

/// `hospital` or `clinic`: a clinic gets simpler wording, not weaker checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    /// A hospital (病院): the checklist's hospital items apply.
    #[default]
    Hospital,
    /// A clinic (診療所): fewer staff, often no one in charge of IT.
    Clinic,
}

/// `site.toml`, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteConfig {
    /// Stable key of the site in the store; defaults to the institution name.
    pub id: String,
    /// The site's name as printed on reports.
    pub name: String,
    /// Hospital or clinic: decides which checklist items apply.
    pub kind: SiteKind,
    /// Business hours: logons outside them are suspicious.
    pub hours: BusinessHours,
    /// Closed days (年末年始, the site's own): attacks in Japan ran on them.
    pub closures: Closures,
    /// Check thresholds, each overridable in `site.toml`.
    pub thresholds: Thresholds,
    /// How many of the latest runs keep their full findings in the database; older runs keep
    /// their summary (site.toml `[database] keep_runs`).
    pub keep_runs: u32,
    /// Tables kept under the site's own file names (site.toml `[files]`): table → file name.
    pub table_files: std::collections::BTreeMap<String, String>,
    /// Backup destinations `assess` scans (site.toml `[backup] scan`), as written.
    pub backup_scan: Vec<String>,
    /// The syslog receiver (site.toml `[watch]`).
    pub watch: WatchSettings,
    /// Where `mamori watch` mails its alerts (site.toml `[alerts]`).
    pub alerts: AlertSettings,
    /// The institution's and its partners' mail domains (site.toml `[mail]`).
    pub mail: MailSettings,
    /// The Active Directory to read accounts from (site.toml `[ad]`), when there is one.
    pub ad: Option<AdSettings>,
}

/// site.toml `[ad]`: where the domain's directory is and how to bind to it. The password is
/// never in the file: it comes from an environment variable or a file readable by mamori only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdSettings {
    /// `ldaps://dc1.example.local` (plain `ldap://` only to the machine itself, or with
    /// `starttls`).
    pub url: String,
    /// The domain's DN, where searches start (`DC=example,DC=local`).
    pub base_dn: String,
    /// The account mamori binds as (a read-only user), as a DN or `user@domain`.
    pub bind_dn: String,
    /// The environment variable holding the password.
    pub password_env: Option<String>,
    /// A file holding the password (mode 0600 or stricter).
    pub password_file: Option<String>,
    /// A PEM file of the CA that signed the domain controller's certificate; else the OS store.
    pub ca_file: Option<String>,
    /// Upgrade a plain `ldap://` connection with StartTLS.
    pub starttls: bool,
}

/// site.toml `[mail]`: which mail domains are the institution's own and which its partners',
/// so that `mamori mail check` can tell a colleague or a vendor from someone borrowing their
/// name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailSettings {
    /// The institution's own domains (`minato-hp.jp`).
    pub domains: Vec<String>,
    /// Vendors' and partners' domains (`medsys.co.jp`).
    pub partner_domains: Vec<String>,
}

/// site.toml `[alerts]`: mail for `mamori watch`'s alerts. The password is never in the file:
/// it is read from an environment variable or a file of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlertSettings {
    /// `smtp = "smtp.example.jp:587"`; no mail when absent.
    pub smtp: Option<String>,
    /// The sender address.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The SMTP user name.
    pub username: Option<String>,
    /// The environment variable holding the password (`password_env = "MAMORI_SMTP_PASSWORD"`).
    pub password_env: Option<String>,
    /// A file holding the password (readable by mamori only).
    pub password_file: Option<String>,
    /// STARTTLS (default). Plain SMTP is allowed only to a relay on this machine.
    pub starttls: bool,
    /// Mail once a day at this hour (Tokyo time) instead of at each alert.
    pub digest_hour: Option<i64>,
}

/// site.toml `[watch]`: where `mamori watch` listens and what it keeps. Command-line flags win.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchSettings {
    /// `syslog_udp = ["127.0.0.1:5514"]`.
    pub udp: Vec<String>,
    /// `syslog_tcp = ["127.0.0.1:5514"]`.
    pub tcp: Vec<String>,
    /// `allow = ["192.168.1.0/24", "10.0.0.1"]`: senders accepted (empty: every sender).
    pub allow: Vec<String>,
    /// Days of received logs kept (default 400).
    pub keep_days: i64,
    /// Hours without a message after which a sender counts as silent (default 6).
    pub silent_hours: i64,
}

impl Default for WatchSettings {
    fn default() -> Self {
        Self {
            udp: Vec::new(),
            tcp: Vec::new(),
            allow: Vec::new(),
            keep_days: 400,
            silent_hours: 6,
        }
    }
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
            table_files: std::collections::BTreeMap::new(),
            backup_scan: Vec::new(),
            watch: WatchSettings::default(),
            alerts: AlertSettings::default(),
            mail: MailSettings::default(),
            ad: None,
        }
    }
}

/// When the institution is normally open (外来・事務の業務時間). Logons outside these hours are
/// what later log checks call off-hours.
#[derive(Clone, Debug, PartialEq)]
pub struct BusinessHours {
    /// Opening time (local).
    pub open: Time,
    /// Closing time (local).
    pub close: Time,
    /// The weekdays the site is open.
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
    /// Last day of the year-end closure as (month, day).
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
    /// `account.stale`: days without a logon before an enabled account is reported.
    pub account_stale_days: i64,
    /// `account.password-old`: password age in days before it is reported.
    pub password_max_age_days: i64,
    /// `asset.patch-stale` for gateways, VPN and internet-facing devices: days since the last patch.
    pub gateway_patch_days: i64,
    /// `asset.patch-stale` for every other device.
    pub patch_days: i64,
    /// `asset.av-stale`: days since the antivirus definitions were updated.
    pub av_days: i64,
    /// `contact.unverified`: days since an emergency number was last confirmed.
    pub contact_verify_days: i64,
    /// Days before the year-end closure by which the emergency numbers must be confirmed.
    pub contact_before_closure_days: i64,
    /// `asset.end-of-support`: warn this many days before support ends.
    pub end_of_support_warn_days: i64,
    /// User names that are generic rather than a person's (lower case).
    pub generic_usernames: Vec<String>,
    /// Log detections: counts and windows (minutes); see `docs/hunt.md` for the reasons.
    pub log_bruteforce_failures: i64,
    /// Window of `log.bruteforce`, minutes.
    pub log_bruteforce_window_minutes: i64,
    /// `log.password-spray`: distinct accounts tried by one source.
    pub log_spray_accounts: i64,
    /// Window of `log.password-spray`, minutes.
    pub log_spray_window_minutes: i64,
    /// `log.distributed-bruteforce`: distinct sources failing on one account.
    pub log_distributed_sources: i64,
    /// Window of `log.distributed-bruteforce`, minutes.
    pub log_distributed_window_minutes: i64,
    /// `log.success-after-failures`: failures before the success.
    pub log_success_after_failures: i64,
    /// Window of `log.success-after-failures`, minutes.
    pub log_success_window_minutes: i64,
    /// `log.success-after-failures` also links a success to a brute force or spray from the
    /// same address (or on the same account) this many days before.
    pub log_success_link_days: i64,
    /// `vuln.feed-stale`: vulnerability data older than this many days.
    pub vuln_feed_max_age_days: i64,
    /// `vuln.cve`: report CVEs (not in KEV) from this CVSS base score up (7 = high).
    pub vuln_cve_min_cvss: i64,
    /// `backup.stale`: the newest backup may be this many days old when the ledger gives no
    /// schedule (a week: most sites back up daily, weekly at the least).
    pub backup_max_age_days: i64,
    /// `backup.few-generations`: fewer generations than this (three: one encrypted, one
    /// suspect, one to restore from).
    pub backup_min_generations: i64,
    /// `backup.restore-untested` and `bcp.no-exercise`: days since the last successful restore
    /// test or exercise (a year).
    pub backup_restore_test_days: i64,
    /// `bcp.stale`: days since the plan was reviewed (a year).
    pub bcp_review_days: i64,
    /// `backup.mass-change`: percent of a destination's files renamed, rewritten or deleted
    /// since the last scan.
    pub backup_mass_change_percent: i64,
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
            backup_max_age_days: 7,
            backup_min_generations: 3,
            backup_restore_test_days: 365,
            bcp_review_days: 365,
            backup_mass_change_percent: 30,
            log_success_window_minutes: 60,
            log_success_link_days: 14,
        }
    }
}

/// What kind of device an asset is (種別).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    /// A server (電子カルテ, PACS, file server…).
    Server,
    /// A PC or terminal (電子カルテ端末, レセコン).
    Pc,
    /// A switch, router or access point.
    Network,
    /// The internet gateway or firewall (UTM, FortiGate, ASA).
    Gateway,
    /// A VPN device (SSL-VPN, IPsec): the usual way in.
    Vpn,
    /// A connected appliance (camera, building control).
    Iot,
    /// A medical device (CT, MRI, ultrasound) on the network.
    MedicalDevice,
    /// A printer or multifunction device.
    Printer,
    /// Network storage: where backups often sit, reachable by ransomware.
    Nas,
    /// Anything else.
    Other,
}

impl AssetKind {
    /// Devices that sit on the boundary to the internet or to vendors: the way in at 半田病院
    /// and 大阪急性期・総合医療センター.
    pub fn is_boundary(self) -> bool {
        matches!(self, AssetKind::Gateway | AssetKind::Vpn)
    }

    /// The kind's name in `site.toml`, ledgers and JSON.
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
    /// Asset id: the key findings and other tables refer to.
    pub id: String,
    /// The device's name as people call it.
    pub name: String,
    /// What kind of device; `None` when the ledger says nothing readable.
    pub kind: Option<AssetKind>,
    /// The manufacturer, for vulnerability matching.
    pub vendor: String,
    /// The product, for vulnerability matching.
    pub product: String,
    /// The firmware or software version in the vendor's notation.
    pub version: String,
    /// Its IP address: ties log events to the device.
    pub ip: String,
    /// Reachable from the internet: the gateway checks apply (`None`: not recorded).
    pub internet_facing: Option<bool>,
    /// Who looks after it at the site.
    pub owner: String,
    /// Where it stands.
    pub location: String,
    /// Vendor id of the maintenance company (保守事業者).
    pub managed_by: String,
    /// The day of the last patch or firmware update.
    pub last_patched: Option<Date>,
    /// The day the antivirus definitions were last updated.
    pub av_updated: Option<Date>,
    /// The day the vendor stops fixing it.
    pub end_of_support: Option<Date>,
    /// Serial number; ties a configuration backup to this asset.
    pub serial: String,
    /// A CPE 2.3 name given by the site: matched as it is, no guessing from names.
    pub cpe: String,
    /// The ledger row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

impl Asset {
    /// A server, storage or unknown device named for patient data (電子カルテ, PACS, レセコン, a
    /// file server — by name or product): it must have a backup and a plan. A terminal named
    /// 電子カルテ端末 or a printer holds none.
    pub fn holds_patient_data(&self) -> bool {
        use crate::backup::names_patient_data;
        let kind_ok = matches!(
            self.kind,
            None | Some(AssetKind::Server | AssetKind::Nas | AssetKind::Other)
        );
        kind_ok && (names_patient_data(&self.name) || names_patient_data(&self.product))
    }

    /// Whether a system name in the backup or BCP tables stands for this device: its id, its
    /// name, or a word of its name (「電子カルテ」 covers 「電子カルテサーバ（主）」).
    pub fn is_covered_by(&self, system: &str) -> bool {
        let s = system.trim().to_lowercase();
        if s.chars().count() < 2 {
            return false;
        }
        s == self.id.to_lowercase()
            || self.name.to_lowercase().contains(&s)
            || (!self.name.is_empty() && s.contains(&self.name.to_lowercase()))
    }

    /// Internet-facing, or a gateway/VPN device: where an attack starts.
    pub fn is_exposed(&self) -> bool {
        self.internet_facing == Some(true) || self.kind.is_some_and(AssetKind::is_boundary)
    }
}

/// One vendor (事業者) the site works with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vendor {
    /// Vendor id: the key the connections and checklists refer to.
    pub id: String,
    /// The company's name.
    pub name: String,
    /// What it maintains or provides.
    pub services: String,
    /// The contract (保守契約) it works under.
    pub contract: String,
    /// Whether a confidentiality agreement is signed.
    pub nda: Option<bool>,
    /// When the vendor's 事業者確認用 checklist came back.
    pub checklist_returned: Option<Date>,
    /// The day its MDS/SDS (製造業者による医療情報セキュリティ開示書) was received.
    pub mds_sds_received: Option<Date>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

/// How an outside party reaches the site; decides which checks apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionKind {
    /// A VPN (site-to-site or remote access).
    Vpn,
    /// Remote desktop or a remote-support tool.
    RemoteDesktop,
    /// A leased or closed line (専用線).
    LeasedLine,
    /// The site's own internet line.
    Internet,
    /// A cloud service the site uses.
    Cloud,
}

impl ConnectionKind {
    /// A way for someone outside to reach inside: remote maintenance lines.
    pub fn is_remote_access(self) -> bool {
        matches!(self, ConnectionKind::Vpn | ConnectionKind::RemoteDesktop)
    }

    /// The kind's name for people.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (ja, en) = match self {
            ConnectionKind::Vpn => ("VPN", "VPN"),
            ConnectionKind::RemoteDesktop => ("リモートデスクトップ", "remote desktop"),
            ConnectionKind::LeasedLine => ("専用線", "leased line"),
            ConnectionKind::Internet => ("インターネット回線", "internet line"),
            ConnectionKind::Cloud => ("クラウド", "cloud"),
        };
        crate::tr(lang, ja, en)
    }

    /// The kind's name in `site.toml`, ledgers and JSON.
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
    /// Connection id: the key findings refer to.
    pub id: String,
    /// The vendor that uses it (vendor id).
    pub vendor: String,
    /// The device it ends on (asset id).
    pub asset: String,
    /// What kind of connection; `None` when not readable.
    pub kind: Option<ConnectionKind>,
    /// What it is for.
    pub purpose: String,
    /// Whether only known source addresses may connect.
    pub source_restricted: Option<bool>,
    /// Whether it requires a second factor.
    pub mfa: Option<bool>,
    /// Whether it is up all the time (rather than opened on request).
    pub always_on: Option<bool>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
}

/// One account of one system (AD, 電子カルテ, the VPN gateway…).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    /// The system the account belongs to (asset id or system name).
    pub system: String,
    /// The login name.
    pub username: String,
    /// The person's name as the system shows it.
    pub display_name: String,
    /// The staff number of its owner: ties it to the 職員名簿.
    pub employee_id: String,
    /// Whether it can log on.
    pub enabled: Option<bool>,
    /// Whether it has administrator rights.
    pub privileged: Option<bool>,
    /// Whether it requires a second factor.
    pub mfa: Option<bool>,
    /// The day of its last logon.
    pub last_logon: Option<Date>,
    /// The day its password was last changed.
    pub password_last_set: Option<Date>,
    /// Whether several people use it.
    pub shared: Option<bool>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
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

    /// Administrator rights, or a name that plainly means them (Administrator, root, admin).
    pub fn is_privileged(&self) -> bool {
        self.privileged == Some(true)
    }
}

/// Whether a person still works at the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffStatus {
    /// Works here (including leave and part-time).
    Active,
    /// Has left: their accounts must be disabled.
    Left,
}

/// One person on the staff roster (職員名簿).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Staff {
    /// Staff number: ties accounts to the person.
    pub employee_id: String,
    /// The person's name.
    pub name: String,
    /// Department (診療科・部署).
    pub department: String,
    /// Working or left; `None` when not readable.
    pub status: Option<StaffStatus>,
    /// The day they left.
    pub left_on: Option<Date>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
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

/// A contact role for people: the ids the checks use (`vendor`, `police`…) in words; any other
/// role as the site wrote it.
pub fn contact_role_label(role: &str, lang: crate::Lang) -> &str {
    let (ja, en) = match role {
        "vendor" => ("保守事業者", "maintenance vendor"),
        "police" => ("警察", "police"),
        "mhlw" => ("厚生労働省", "MHLW"),
        "jma" => ("日本医師会", "Japan Medical Association"),
        "internal" => ("院内", "internal"),
        other => return other,
    };
    crate::tr(lang, ja, en)
}

/// One entry of the emergency phone list (緊急連絡先).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    /// `vendor`, `police`, `mhlw`, `jma`, `internal`, … (lower case).
    pub role: String,
    /// The person or office to call.
    pub name: String,
    /// Telephone number.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// The day the number was last confirmed to work.
    pub verified_on: Option<Date>,
    /// The row it was read from.
    pub origin: SourceRef,
    /// Cells that said the value is not known.
    pub unknown: Vec<UnknownValue>,
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
