//! Active Directory: the password from where site.toml says (an environment variable, or a
//! file only mamori can read — never the command line or the site folder's own text), the read
//! (`mamori_ad`), the directory's users as account records for the account checks, and
//! `ad export`, a reviewable CSV in the accounts table's layout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mamori_model::directory::{Directory, DirectoryUser, uac};
use mamori_model::site::{Account, AdSettings, Staff};
use mamori_model::{Localized, SourceRef};

use crate::SiteFolder;

/// The bind password, from `password_env` or `password_file`. A file readable by its group or
/// by others is refused: it holds a key to the whole domain.
pub fn password(settings: &AdSettings, folder: &SiteFolder) -> Result<String, Localized> {
    if let Some(var) = &settings.password_env {
        return std::env::var(var).map_err(|_| {
            Localized::new(
                format!("環境変数 {var} に Active Directory のパスワードがありません（site.toml [ad] password_env）"),
                format!("the environment variable {var} holds no Active Directory password (site.toml [ad] password_env)"),
            )
        });
    }
    let Some(file) = &settings.password_file else {
        return Err(Localized::new(
            "site.toml [ad] に password_env も password_file もありません",
            "site.toml [ad] has neither password_env nor password_file",
        ));
    };
    let path = resolve(folder, file);
    refuse_open_permissions(&path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Localized::new(
            format!("パスワードのファイル {} を読めません: {e}", path.display()),
            format!("cannot read the password file {}: {e}", path.display()),
        )
    })?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

fn resolve(folder: &SiteFolder, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_owned()
    } else {
        folder.root().join(path)
    }
}

#[cfg(unix)]
fn refuse_open_permissions(path: &Path) -> Result<(), Localized> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions().mode())
        .map_err(|e| {
            Localized::new(
                format!("パスワードのファイル {} を読めません: {e}", path.display()),
                format!("cannot read the password file {}: {e}", path.display()),
            )
        })?;
    if mode & 0o077 != 0 {
        return Err(Localized::new(
            format!(
                "パスワードのファイル {} はほかの利用者も読めます（{:o}）。chmod 600 {} としてください",
                path.display(),
                mode & 0o777,
                path.display()
            ),
            format!(
                "the password file {} is readable by others ({:o}): run chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_open_permissions(_path: &Path) -> Result<(), Localized> {
    Ok(())
}

/// Reads the directory `[ad]` names. Any failure — unreachable, refused, untrusted
/// certificate, a referral — gives nothing of the directory.
pub fn read(settings: &AdSettings, folder: &SiteFolder) -> Result<Directory, Localized> {
    let password = password(settings, folder)?;
    let ca = match &settings.ca_file {
        Some(file) => {
            let path = resolve(folder, file);
            Some(std::fs::read(&path).map_err(|e| {
                Localized::new(
                    format!("CA 証明書のファイル {} を読めません: {e}", path.display()),
                    format!("cannot read the CA file {}: {e}", path.display()),
                )
            })?)
        }
        None => None,
    };
    mamori_ad::read_directory(settings, &password, ca.as_deref()).map_err(|e| e.message())
}

/// Reads the directory on a thread of its own: the LDAP client runs its own small runtime,
/// which cannot start inside the caller's (`assess` runs on one).
pub fn read_apart(settings: &AdSettings, folder: &SiteFolder) -> Result<Directory, Localized> {
    std::thread::scope(|s| {
        s.spawn(|| read(settings, folder))
            .join()
            .unwrap_or_else(|_| {
                Err(Localized::new(
                    "Active Directory の読み込みが異常終了しました",
                    "reading Active Directory failed unexpectedly",
                ))
            })
    })
}

/// What `ad export` read: the CSV and how many users it holds.
pub struct Export {
    /// The CSV (UTF-8 with a BOM).
    pub csv: String,
    /// Users written.
    pub users: usize,
    /// Of them, enabled members of privileged groups.
    pub privileged: usize,
}

/// `ad export`: the site's `[ad]` read into a CSV. `Err` when the folder has no `[ad]` or the
/// directory could not be read.
pub fn export(folder: &SiteFolder, clock: &crate::Clock) -> Result<Export, Localized> {
    let load = folder.load(clock.today(), clock).map_err(|errors| {
        let first = errors
            .first()
            .map(|e| e.describe(mamori_model::Lang::Ja))
            .unwrap_or_default();
        Localized::new(
            format!("サイトフォルダを読めません: {first}"),
            format!("cannot read the site folder: {first}"),
        )
    })?;
    let Some(settings) = &load.site.config.ad else {
        return Err(Localized::new(
            "site.toml に [ad]（url・base_dn・bind_dn・password_env）がありません（docs/site-format.md）",
            "site.toml has no [ad] section (url, base_dn, bind_dn, password_env; docs/site-format.md)",
        ));
    };
    let dir = read_apart(settings, folder)?;
    Ok(Export {
        csv: export_csv(&dir, &load.site.staff),
        users: dir.users.len(),
        privileged: dir
            .users
            .iter()
            .filter(|u| u.enabled() && u.is_privileged())
            .count(),
    })
}

fn day(t: Option<jiff::Timestamp>) -> Option<jiff::civil::Date> {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").ok()?;
    t.map(|t| t.to_zoned(tz).date())
}

/// The directory's users as account records (system `AD`), tied to the staff roster by
/// display name, so that the account checks (leavers, stale, privileged without MFA, old
/// passwords) read the directory itself.
pub fn accounts_of(dir: &Directory, staff: &[Staff]) -> Vec<Account> {
    // Names without spaces, built once: 50,000 users against a roster of thousands. The first
    // person of a name wins, as a reader of the roster would take them.
    let mut by_name: HashMap<String, &str> = HashMap::with_capacity(staff.len());
    for person in staff.iter().filter(|s| !s.name.trim().is_empty()) {
        by_name
            .entry(squeeze(&person.name))
            .or_insert(person.employee_id.as_str());
    }
    dir.users
        .iter()
        .map(|u| Account {
            system: "AD".to_owned(),
            username: u.sam.clone(),
            display_name: u.display_name.clone(),
            employee_id: by_name
                .get(&squeeze(&u.display_name))
                .map(|id| (*id).to_owned())
                .unwrap_or_default(),
            enabled: Some(u.enabled()),
            privileged: Some(u.is_privileged()),
            // A smart card is a second factor; without one the directory cannot say.
            mfa: u.has(uac::SMARTCARD_REQUIRED).then_some(true),
            last_logon: day(u.last_logon),
            password_last_set: day(u.password_last_set),
            shared: None,
            origin: SourceRef {
                file: dir.source.clone(),
                excerpt: Some(u.dn.clone()),
                ..SourceRef::default()
            },
            unknown: Vec::new(),
        })
        .collect()
}

/// A name without its spaces: 「山田 太郎」 and 「山田太郎」 are one person.
fn squeeze(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The users as CSV in the accounts table's layout (UTF-8 with a BOM for Excel), plus the
/// directory's own columns for review.
pub fn export_csv(dir: &Directory, staff: &[Staff]) -> String {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record([
        "システム",
        "ユーザID",
        "氏名",
        "職員番号",
        "有効",
        "管理者権限",
        "多要素認証",
        "最終ログオン",
        "パスワード最終変更日",
        "共用",
        "特権グループ",
        "パスワード無期限",
        "SPN",
        "作成日",
        "DN",
    ]);
    let yes_no = |b: bool| if b { "○" } else { "×" };
    for (account, user) in accounts_of(dir, staff).iter().zip(&dir.users) {
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let _ = w.write_record([
            account.system.as_str(),
            &account.username,
            &account.display_name,
            &account.employee_id,
            if user.enabled() { "有効" } else { "無効" },
            yes_no(user.is_privileged()),
            if account.mfa == Some(true) { "○" } else { "" },
            &date(account.last_logon),
            &date(account.password_last_set),
            "",
            &privileged_names(user),
            yes_no(user.has(uac::PASSWORD_NEVER_EXPIRES)),
            &user.spns.join(" "),
            &date(day(user.created)),
            &user.dn,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn privileged_names(user: &DirectoryUser) -> String {
    user.privileged
        .iter()
        .map(|g| g.name())
        .collect::<Vec<_>>()
        .join(" / ")
}
