//! `site.toml`: who the site is, when it is open, and threshold overrides.

use mamori_model::Localized;
use mamori_model::site::{BusinessHours, Closures, SiteConfig, SiteKind, Thresholds};
use serde::Deserialize;

use crate::value::{parse_date, parse_month_day, parse_time, parse_weekday};
use mamori_model::input::InputError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    id: Option<String>,
    name: String,
    #[serde(default)]
    kind: SiteKind,
    #[serde(default)]
    hours: HoursToml,
    #[serde(default)]
    closures: ClosuresToml,
    #[serde(default)]
    thresholds: ThresholdsToml,
    #[serde(default)]
    database: DatabaseToml,
    #[serde(default)]
    files: FilesToml,
    #[serde(default)]
    backup: BackupToml,
    #[serde(default)]
    watch: WatchToml,
    #[serde(default)]
    alerts: AlertsToml,
    #[serde(default)]
    mail: MailToml,
    ad: Option<AdToml>,
}

/// `[ad]`: the Active Directory to read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdToml {
    #[serde(default)]
    url: String,
    #[serde(default)]
    base_dn: String,
    #[serde(default)]
    bind_dn: String,
    password_env: Option<String>,
    password_file: Option<String>,
    ca_file: Option<String>,
    starttls: Option<bool>,
    /// Refused: a password in the site folder would travel with every copy of it.
    password: Option<String>,
}

/// `[mail]`: the institution's own mail domains and its partners'.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailToml {
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    partner_domains: Vec<String>,
}

/// `[alerts]`: mail for `mamori watch`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertsToml {
    smtp: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: Vec<String>,
    username: Option<String>,
    password_env: Option<String>,
    password_file: Option<String>,
    starttls: Option<bool>,
    digest_hour: Option<i64>,
}

/// `[watch]`: the syslog receiver.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchToml {
    #[serde(default)]
    syslog_udp: Vec<String>,
    #[serde(default)]
    syslog_tcp: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    keep_days: Option<i64>,
    silent_hours: Option<i64>,
}

/// `[backup]`: destinations `assess` scans (folders or mounted shares; relative to the site
/// folder or absolute).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupToml {
    #[serde(default)]
    scan: Vec<String>,
}

/// `[files]`: a table kept under a name of the site's own (`assets = "うちの機器.xlsx"`).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesToml {
    assets: Option<String>,
    vendors: Option<String>,
    connections: Option<String>,
    accounts: Option<String>,
    staff: Option<String>,
    contacts: Option<String>,
    backups: Option<String>,
    #[serde(rename = "restore-drills")]
    restore_drills: Option<String>,
    bcp: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseToml {
    /// Runs whose full findings are kept (older ones keep their summary).
    keep_runs: Option<i64>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursToml {
    open: Option<String>,
    close: Option<String>,
    days: Option<Vec<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClosuresToml {
    /// `["12-29", "01-03"]`
    year_end: Option<[String; 2]>,
    #[serde(default)]
    extra_days: Vec<String>,
    national_holidays: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsToml {
    account_stale_days: Option<i64>,
    password_max_age_days: Option<i64>,
    gateway_patch_days: Option<i64>,
    patch_days: Option<i64>,
    av_days: Option<i64>,
    contact_verify_days: Option<i64>,
    contact_before_closure_days: Option<i64>,
    end_of_support_warn_days: Option<i64>,
    generic_usernames: Option<Vec<String>>,
    log_bruteforce_failures: Option<i64>,
    log_bruteforce_window_minutes: Option<i64>,
    log_spray_accounts: Option<i64>,
    log_spray_window_minutes: Option<i64>,
    log_distributed_sources: Option<i64>,
    log_distributed_window_minutes: Option<i64>,
    log_success_after_failures: Option<i64>,
    log_success_window_minutes: Option<i64>,
    log_success_link_days: Option<i64>,
    vuln_feed_max_age_days: Option<i64>,
    vuln_cve_min_cvss: Option<i64>,
    backup_max_age_days: Option<i64>,
    backup_min_generations: Option<i64>,
    backup_restore_test_days: Option<i64>,
    bcp_review_days: Option<i64>,
    backup_mass_change_percent: Option<i64>,
}

/// The largest number of days a threshold may give (a century: beyond it, date arithmetic
/// would overflow and nothing real is meant).
const MAX_DAYS: i64 = 36_500;
/// The longest log window: thirty days.
const MAX_WINDOW_MINUTES: i64 = 30 * 24 * 60;
/// The largest count a threshold may give.
const MAX_COUNT: i64 = 1_000_000;

/// The line where `key = …` is written, so that a bad value is found where it was typed.
fn line_of_key(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i as u64 + 1)
}

/// Reads `site.toml`: every bad value is an error naming its key and line, and none stops
/// the others from being reported.
pub fn parse_site_toml(text: &str, file: &str) -> Result<SiteConfig, Vec<InputError>> {
    let raw: SiteToml = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1);
        vec![InputError {
            file: file.to_owned(),
            line,
            column: None,
            value: None,
            message: crate::toml_text::explain(file, e.message()),
        }]
    })?;

    let mut errors = Vec::new();
    let mut bad = |key: &str, value: &str, ja: &str, en: &str| {
        errors.push(InputError {
            file: file.to_owned(),
            line: line_of_key(text, key.rsplit('.').next().unwrap_or(key)),
            column: Some(key.to_owned()),
            value: Some(value.to_owned()),
            message: Localized::new(ja, en),
        })
    };

    let hours = read_hours(&raw.hours, &mut bad);
    let closures = read_closures(&raw.closures, &mut bad);
    let thresholds = read_thresholds(raw.thresholds, &mut bad);
    let keep_runs = read_keep_runs(&raw.database, &mut bad);
    let table_files = read_files(&raw.files, &mut bad);
    let ad = raw.ad.map(|ad| read_ad(ad, &mut bad));
    if raw.name.trim().is_empty() {
        bad(
            "name",
            "",
            "施設名（name）が空です",
            "the institution name is empty",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SiteConfig {
        id: raw.id.unwrap_or_else(|| raw.name.clone()),
        name: raw.name,
        kind: raw.kind,
        hours,
        closures,
        thresholds,
        keep_runs,
        table_files,
        backup_scan: raw.backup.scan,
        watch: mamori_model::site::WatchSettings {
            udp: raw.watch.syslog_udp,
            tcp: raw.watch.syslog_tcp,
            allow: raw.watch.allow,
            keep_days: raw.watch.keep_days.unwrap_or(400).max(1),
            silent_hours: raw.watch.silent_hours.unwrap_or(6).max(1),
        },
        alerts: mamori_model::site::AlertSettings {
            smtp: raw.alerts.smtp,
            from: raw.alerts.from,
            to: raw.alerts.to,
            username: raw.alerts.username,
            password_env: raw.alerts.password_env,
            password_file: raw.alerts.password_file,
            starttls: raw.alerts.starttls.unwrap_or(true),
            digest_hour: raw.alerts.digest_hour.map(|h| h.clamp(0, 23)),
        },
        mail: mamori_model::site::MailSettings {
            domains: lowercase(raw.mail.domains),
            partner_domains: lowercase(raw.mail.partner_domains),
        },
        ad,
    })
}

/// `[ad]`: url, base_dn and bind_dn required; the password from exactly one of password_env
/// and password_file, never written in the file.
fn read_ad(raw: AdToml, bad: &mut Bad) -> mamori_model::site::AdSettings {
    for (key, value, ja, en) in [
        (
            "ad.url",
            &raw.url,
            "Active Directory の URL（url = \"ldaps://サーバー名\"）がありません",
            "[ad] needs url = \"ldaps://server\"",
        ),
        (
            "ad.base_dn",
            &raw.base_dn,
            "検索の起点（base_dn = \"DC=example,DC=local\"）がありません",
            "[ad] needs base_dn = \"DC=example,DC=local\"",
        ),
        (
            "ad.bind_dn",
            &raw.bind_dn,
            "接続に使うアカウント（bind_dn）がありません",
            "[ad] needs bind_dn",
        ),
    ] {
        if value.trim().is_empty() {
            bad(key, value, ja, en);
        }
    }
    if raw.password.is_some() {
        bad(
            "ad.password",
            "********",
            "パスワードは site.toml に書かないでください。password_env（環境変数の名前）か password_file（本人だけが読めるファイル）で渡してください",
            "do not write the password in site.toml: give password_env (a variable's name) or password_file (a file only mamori can read)",
        );
    }
    if raw.password_env.is_none() && raw.password_file.is_none() && raw.password.is_none() {
        bad(
            "ad.password_env",
            "",
            "パスワードの渡し方（password_env または password_file）がありません",
            "[ad] needs password_env or password_file",
        );
    }
    mamori_model::site::AdSettings {
        url: raw.url.trim().to_owned(),
        base_dn: raw.base_dn.trim().to_owned(),
        bind_dn: raw.bind_dn.trim().to_owned(),
        password_env: raw.password_env,
        password_file: raw.password_file,
        ca_file: raw.ca_file,
        starttls: raw.starttls.unwrap_or(false),
    }
}

fn lowercase(domains: Vec<String>) -> Vec<String> {
    domains
        .into_iter()
        .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect()
}

/// `[files]`: plain file names in the site folder ending in `.csv` or `.xlsx`.
fn read_files(raw: &FilesToml, bad: &mut Bad) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let named = [
        ("assets", &raw.assets),
        ("vendors", &raw.vendors),
        ("connections", &raw.connections),
        ("accounts", &raw.accounts),
        ("staff", &raw.staff),
        ("contacts", &raw.contacts),
        ("backups", &raw.backups),
        ("restore-drills", &raw.restore_drills),
        ("bcp", &raw.bcp),
    ];
    for (table, name) in named {
        let Some(name) = name else { continue };
        let plain = !name.is_empty()
            && !name.contains(['/', '\\'])
            && !name.starts_with('.')
            && (name.ends_with(".csv") || name.ends_with(".xlsx"));
        if plain {
            files.insert(table.to_owned(), name.clone());
        } else {
            bad(
                &format!("files.{table}"),
                name,
                "サイトフォルダの中のファイル名を、.csv か .xlsx で終わる形で書いてください（例: \"うちの機器.xlsx\"）",
                "write a file name in the site folder ending in .csv or .xlsx (e.g. \"our-devices.xlsx\")",
            );
        }
    }
    files
}

/// Records a bad value: its key (for the line), the value, and what to write instead.
type Bad<'a> = dyn FnMut(&str, &str, &str, &str) + 'a;

fn read_hours(raw: &HoursToml, bad: &mut Bad) -> BusinessHours {
    let mut hours = BusinessHours::default();
    for (key, value, slot) in [
        ("hours.open", &raw.open, &mut hours.open),
        ("hours.close", &raw.close, &mut hours.close),
    ] {
        if let Some(v) = value {
            match parse_time(v) {
                Some(t) => *slot = t,
                None => bad(
                    key,
                    v,
                    "時刻として読めません（例: 08:30）",
                    "not a time (e.g. 08:30)",
                ),
            }
        }
    }
    if let Some(days) = &raw.days {
        hours.days.clear();
        for d in days {
            match parse_weekday(d) {
                Some(w) => hours.days.push(w),
                None => bad(
                    "hours.days",
                    d,
                    "曜日として読めません（例: 月、火、mon）",
                    "not a weekday (e.g. mon, 月)",
                ),
            }
        }
    }
    hours
}

fn read_closures(raw: &ClosuresToml, bad: &mut Bad) -> Closures {
    let mut closures = Closures::default();
    if let Some([start, end]) = &raw.year_end {
        match (parse_month_day(start), parse_month_day(end)) {
            (Some(s), Some(e)) => {
                closures.year_end_start = s;
                closures.year_end_end = e;
            }
            _ => bad(
                "closures.year_end",
                &format!("{start} – {end}"),
                "月日として読めません（例: [\"12-29\", \"01-03\"]）",
                "not month-day pairs (e.g. [\"12-29\", \"01-03\"])",
            ),
        }
    }
    if let Some(on) = raw.national_holidays {
        closures.national_holidays = on;
    }
    for d in &raw.extra_days {
        match parse_date(d) {
            Some(day) => closures.extra_days.push(day),
            None => bad(
                "closures.extra_days",
                d,
                "日付として読めません（例: 2026-05-15）",
                "not a date (e.g. 2026-05-15)",
            ),
        }
    }
    closures
}

fn read_thresholds(t: ThresholdsToml, bad: &mut Bad) -> Thresholds {
    let mut thresholds = Thresholds::default();
    // (key, value written, the setting it replaces, its largest sane value)
    macro_rules! row {
        ($key:ident, $max:expr) => {
            (stringify!($key), t.$key, &mut thresholds.$key, $max)
        };
    }
    for (key, value, slot, max) in [
        row!(account_stale_days, MAX_DAYS),
        row!(password_max_age_days, MAX_DAYS),
        row!(gateway_patch_days, MAX_DAYS),
        row!(patch_days, MAX_DAYS),
        row!(av_days, MAX_DAYS),
        row!(contact_verify_days, MAX_DAYS),
        row!(contact_before_closure_days, 366),
        row!(end_of_support_warn_days, MAX_DAYS),
        row!(log_bruteforce_failures, MAX_COUNT),
        row!(log_bruteforce_window_minutes, MAX_WINDOW_MINUTES),
        row!(log_spray_accounts, MAX_COUNT),
        row!(log_spray_window_minutes, MAX_WINDOW_MINUTES),
        row!(log_distributed_sources, MAX_COUNT),
        row!(log_distributed_window_minutes, MAX_WINDOW_MINUTES),
        row!(log_success_after_failures, MAX_COUNT),
        row!(log_success_window_minutes, MAX_WINDOW_MINUTES),
        row!(log_success_link_days, 90),
        row!(vuln_feed_max_age_days, MAX_DAYS),
        row!(vuln_cve_min_cvss, 10),
        row!(backup_max_age_days, MAX_DAYS),
        row!(backup_min_generations, MAX_COUNT),
        row!(backup_restore_test_days, MAX_DAYS),
        row!(bcp_review_days, MAX_DAYS),
        row!(backup_mass_change_percent, 100),
    ] {
        if let Some(v) = value {
            if !(1..=max).contains(&v) {
                bad(
                    &format!("thresholds.{key}"),
                    &v.to_string(),
                    &format!("1 から {max} までの数を指定してください"),
                    &format!("must be between 1 and {max}"),
                );
            } else {
                *slot = v;
            }
        }
    }
    if let Some(names) = t.generic_usernames {
        thresholds.generic_usernames = names.iter().map(|n| n.to_lowercase()).collect();
    }
    thresholds
}

fn read_keep_runs(raw: &DatabaseToml, bad: &mut Bad) -> u32 {
    let mut keep_runs = mamori_model::site::DEFAULT_KEEP_RUNS;
    if let Some(v) = raw.keep_runs {
        match u32::try_from(v) {
            Ok(n) if (1..=100_000).contains(&n) => keep_runs = n,
            _ => bad(
                "database.keep_runs",
                &v.to_string(),
                "1 から 100000 までの数を指定してください",
                "must be between 1 and 100000",
            ),
        }
    }
    keep_runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Time, Weekday, date};

    #[test]
    fn ad_settings_refuse_a_written_password_and_need_their_keys() {
        let good = "name = \"A\"\n[ad]\nurl = \"ldaps://dc1.a.local\"\nbase_dn = \"DC=a,DC=local\"\nbind_dn = \"reader@a.local\"\npassword_env = \"AD_PW\"\nca_file = \"ca.pem\"\n";
        let c = parse_site_toml(good, "site.toml").unwrap();
        let ad = c.ad.unwrap();
        assert_eq!(
            (ad.url.as_str(), ad.password_env.as_deref(), ad.starttls),
            ("ldaps://dc1.a.local", Some("AD_PW"), false)
        );
        let written = good.replace("password_env = \"AD_PW\"", "password = \"hunter2\"");
        let errors = parse_site_toml(&written, "site.toml").unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.message.ja.contains("書かないで") && e.line == Some(6)),
            "{errors:?}"
        );
        assert!(
            errors.iter().all(|e| e.value.as_deref() != Some("hunter2")),
            "the password is never echoed"
        );
        let missing =
            parse_site_toml("name = \"A\"\n[ad]\nbase_dn = \"DC=a\"\n", "site.toml").unwrap_err();
        let keys: Vec<_> = missing.iter().filter_map(|e| e.column.clone()).collect();
        assert_eq!(keys, ["ad.url", "ad.bind_dn", "ad.password_env"]);
        assert!(
            parse_site_toml("name = \"A\"\n", "site.toml")
                .unwrap()
                .ad
                .is_none()
        );
    }

    #[test]
    fn minimal_site_gets_defaults() {
        let c =
            parse_site_toml("name = \"みなと診療所\"\nkind = \"clinic\"\n", "site.toml").unwrap();
        assert_eq!(c.id, "みなと診療所");
        assert_eq!(c.kind, SiteKind::Clinic);
        assert_eq!(c.closures.year_end_start, (12, 29));
        assert_eq!(c.thresholds.account_stale_days, 90);
    }

    #[test]
    fn overrides_are_applied() {
        let text = r#"
name = "A病院"
[hours]
open = "9:00"
days = ["月", "火", "水", "木", "金", "土"]
[closures]
year_end = ["12-28", "1-4"]
extra_days = ["令和8年5月15日"]
[thresholds]
account_stale_days = 60
"#;
        let c = parse_site_toml(text, "site.toml").unwrap();
        assert_eq!(c.hours.open, Time::constant(9, 0, 0, 0));
        assert_eq!(c.hours.days.last(), Some(&Weekday::Saturday));
        assert_eq!(
            c.closures.year_end_window(2026),
            Some((date(2026, 12, 28), date(2027, 1, 4)))
        );
        assert_eq!(c.closures.extra_days, vec![date(2026, 5, 15)]);
        assert_eq!(c.thresholds.account_stale_days, 60);
    }

    #[test]
    fn typos_and_bad_values_are_reported_together() {
        let err = parse_site_toml(
            "name = \"A\"\n[thresholds]\naccount_stale_dayz = 3\n",
            "site.toml",
        )
        .unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert!(
            err[0].message.en.contains("account_stale_dayz"),
            "{}",
            err[0].message.en
        );

        let err = parse_site_toml(
            "name = \"A\"\n[hours]\nopen = \"25:00\"\ndays = [\"月\", \"なし\"]\n[thresholds]\nav_days = 0\n",
            "site.toml",
        )
        .unwrap_err();
        let cols: Vec<_> = err.iter().filter_map(|e| e.column.as_deref()).collect();
        assert_eq!(cols, ["hours.open", "hours.days", "thresholds.av_days"]);
    }
}
