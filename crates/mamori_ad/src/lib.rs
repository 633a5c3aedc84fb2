//! Active Directory over LDAP, read-only: users (flags, password and logon times, nested group
//! memberships, `adminCount`, SPNs), the privileged groups by SID, computers (OS, last logon,
//! LAPS), the default and fine-grained password policies. Paged searches (AD returns at most
//! 1,000 entries per page), LDAPS or StartTLS with the OS trust store or a given CA file; a plain
//! `ldap://` bind only to the machine itself. Nothing is ever written to the directory.

mod entries;
mod tls;

use std::time::Duration;

use ldap3::{LdapConn, LdapConnSettings, LdapError, Scope, SearchEntry, adapters::PagedResults};
use mamori_model::Localized;
use mamori_model::directory::Directory;
use mamori_model::site::AdSettings;

/// Entries per page.
const PAGE: i32 = 500;
/// Connecting and each operation may take this long.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why the directory could not be read. Nothing of a failed read is used.
#[derive(Debug, thiserror::Error)]
pub enum AdError {
    /// The URL is not `ldaps://…` or `ldap://…`.
    #[error("not an LDAP URL: {0}")]
    Url(String),
    /// `ldap://` to another machine without StartTLS: the password would cross the network in
    /// clear.
    #[error("plain ldap:// to another machine: {0}")]
    PlainRemote(String),
    /// The server did not answer.
    #[error("cannot reach {url}: {detail}")]
    Unreachable {
        /// The URL.
        url: String,
        /// What the system said.
        detail: String,
    },
    /// The TLS handshake failed (untrusted, expired or mismatched certificate).
    #[error("TLS with {url} failed: {detail}")]
    Tls {
        /// The URL.
        url: String,
        /// What rustls said.
        detail: String,
    },
    /// The bind was refused.
    #[error("bind refused for {0}")]
    Credentials(String),
    /// The server sent the search elsewhere (another domain, another server).
    #[error("referral for {base}: {to}")]
    Referral {
        /// The search base.
        base: String,
        /// Where the server pointed.
        to: String,
    },
    /// A search failed.
    #[error("search failed: {0}")]
    Search(String),
    /// The CA file could not be read.
    #[error("CA file: {0}")]
    Ca(String),
}

impl AdError {
    /// What went wrong and what to do, in both languages.
    pub fn message(&self) -> Localized {
        match self {
            AdError::Url(u) => Localized::new(
                format!(
                    "site.toml [ad] url「{u}」は LDAP の URL ではありません。ldaps://サーバー名 の形で書いてください"
                ),
                format!("site.toml [ad] url \"{u}\" is not an LDAP URL: write ldaps://server"),
            ),
            AdError::PlainRemote(u) => Localized::new(
                format!(
                    "「{u}」は暗号化しない ldap:// で別の機器に接続するため、パスワードがネットワークに平文で流れます。ldaps:// にするか、starttls = true を書いてください"
                ),
                format!(
                    "\"{u}\" would send the password in clear to another machine: use ldaps:// or set starttls = true"
                ),
            ),
            AdError::Unreachable { url, detail } => Localized::new(
                format!(
                    "Active Directory（{url}）に接続できません: {detail}。サーバー名・ポート（LDAPS は 636）・ファイアウォールを確かめてください"
                ),
                format!(
                    "cannot reach Active Directory ({url}): {detail}. Check the server name, the port (636 for LDAPS) and the firewall"
                ),
            ),
            AdError::Tls { url, detail } => Localized::new(
                format!(
                    "Active Directory（{url}）との TLS 接続に失敗しました: {detail}。証明書の期限・名前と、site.toml [ad] ca_file を確かめてください"
                ),
                format!(
                    "TLS with Active Directory ({url}) failed: {detail}. Check the certificate's dates and name, and site.toml [ad] ca_file"
                ),
            ),
            AdError::Credentials(dn) => Localized::new(
                format!(
                    "Active Directory が「{dn}」のログオンを拒否しました。bind_dn とパスワード（password_env または password_file）を確かめてください"
                ),
                format!(
                    "Active Directory refused the bind of \"{dn}\": check bind_dn and the password (password_env or password_file)"
                ),
            ),
            AdError::Referral { base, to } => Localized::new(
                format!(
                    "検索の起点「{base}」はこのサーバーのドメインではありません（紹介先: {to}）。site.toml [ad] base_dn をこのドメインの DN（例: DC=example,DC=local）にしてください"
                ),
                format!(
                    "the search base \"{base}\" is not this server's domain (referred to {to}): set site.toml [ad] base_dn to this domain's DN"
                ),
            ),
            AdError::Search(d) => Localized::new(
                format!("Active Directory の検索に失敗しました: {d}"),
                format!("the Active Directory search failed: {d}"),
            ),
            AdError::Ca(d) => Localized::new(
                format!("site.toml [ad] ca_file を読めません: {d}"),
                format!("cannot read site.toml [ad] ca_file: {d}"),
            ),
        }
    }
}

/// Reads the directory `settings` names, binding with `password`; `ca_pem` is the CA file's
/// content when one is given.
pub fn read_directory(
    settings: &AdSettings,
    password: &str,
    ca_pem: Option<&[u8]>,
) -> Result<Directory, AdError> {
    let url = settings.url.trim();
    let mut conn = connect(settings, ca_pem)?;
    let bound = conn
        .simple_bind(&settings.bind_dn, password)
        .map_err(|e| classify(url, e))?;
    if bound.rc == 49 || bound.rc == 48 || bound.rc == 53 {
        return Err(AdError::Credentials(settings.bind_dn.clone()));
    }
    bound.success().map_err(|e| classify(url, e))?;
    let base = settings.base_dn.as_str();
    // Groups first: each user's nested memberships are resolved as its page arrives, so only
    // the users and computers themselves are kept, never the raw entries of the whole domain.
    let mut groups = Vec::new();
    paged(
        &mut conn,
        url,
        base,
        "(objectClass=group)",
        entries::GROUP_ATTRS,
        |e| groups.push(e),
    )?;
    let groups = entries::Groups::of(&groups);
    let mut users = Vec::new();
    paged(
        &mut conn,
        url,
        base,
        entries::USER_FILTER,
        entries::USER_ATTRS,
        |e| {
            users.push(entries::user(&e, &groups));
        },
    )?;
    let mut computers = Vec::new();
    paged(
        &mut conn,
        url,
        base,
        "(objectClass=computer)",
        entries::COMPUTER_ATTRS,
        |e| {
            computers.push(entries::computer(&e));
        },
    )?;
    let mut policies = Vec::new();
    paged(
        &mut conn,
        url,
        base,
        "(objectClass=msDS-PasswordSettings)",
        entries::PSO_ATTRS,
        |e| {
            policies.push(e);
        },
    )?;
    let domain = conn
        .search(
            base,
            Scope::Base,
            "(objectClass=*)",
            entries::DOMAIN_ATTRS.to_vec(),
        )
        .map_err(|e| classify(url, e))?
        .success()
        .map_err(|e| search_error(url, base, e))?
        .0;
    let _ = conn.unbind();
    let domain: Vec<SearchEntry> = domain.into_iter().map(SearchEntry::construct).collect();
    Ok(entries::directory(
        url, base, users, computers, &policies, &domain,
    ))
}

fn connect(settings: &AdSettings, ca_pem: Option<&[u8]>) -> Result<LdapConn, AdError> {
    let url = settings.url.trim();
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| AdError::Url(url.to_owned()))?;
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "");
    match scheme.to_ascii_lowercase().as_str() {
        "ldaps" => {}
        "ldap" if settings.starttls || local => {}
        "ldap" => return Err(AdError::PlainRemote(url.to_owned())),
        _ => return Err(AdError::Url(url.to_owned())),
    }
    let config = tls::client_config(ca_pem)?;
    let conn_settings = LdapConnSettings::new()
        .set_conn_timeout(TIMEOUT)
        .set_starttls(settings.starttls && scheme.eq_ignore_ascii_case("ldap"))
        .set_config(config);
    let mut conn = LdapConn::with_settings(conn_settings, url).map_err(|e| classify(url, e))?;
    conn.with_timeout(TIMEOUT);
    Ok(conn)
}

/// A paged subtree search handing each entry to `each` as it arrives; a referral or any failure
/// stops the whole read.
fn paged(
    conn: &mut LdapConn,
    url: &str,
    base: &str,
    filter: &str,
    attrs: &[&str],
    mut each: impl FnMut(SearchEntry),
) -> Result<(), AdError> {
    let adapters: Vec<Box<dyn ldap3::adapters::Adapter<_, _>>> =
        vec![Box::new(PagedResults::new(PAGE))];
    let mut stream = conn
        .streaming_search_with(adapters, base, Scope::Subtree, filter, attrs.to_vec())
        .map_err(|e| classify(url, e))?;
    while let Some(entry) = stream.next().map_err(|e| classify(url, e))? {
        // Search references (`ldap://other.domain/…`) are referrals of part of the tree.
        if entry.is_ref() {
            continue;
        }
        each(SearchEntry::construct(entry));
    }
    stream
        .result()
        .success()
        .map_err(|e| search_error(url, base, e))?;
    Ok(())
}

fn search_error(url: &str, base: &str, e: LdapError) -> AdError {
    match &e {
        LdapError::LdapResult { result } if result.rc == 10 => AdError::Referral {
            base: base.to_owned(),
            to: result.refs.join(", "),
        },
        LdapError::LdapResult { result } if result.rc == 32 => AdError::Referral {
            base: base.to_owned(),
            to: result.matched.clone(),
        },
        _ => classify(url, e),
    }
}

/// Sorts ldap3's errors into the kinds a person can act on.
fn classify(url: &str, e: LdapError) -> AdError {
    let detail = e.to_string();
    let lower = detail.to_ascii_lowercase();
    match e {
        LdapError::LdapResult { result } if matches!(result.rc, 48 | 49 | 53) => {
            AdError::Credentials(String::new())
        }
        LdapError::LdapResult { result } if result.rc == 10 => AdError::Referral {
            base: String::new(),
            to: result.refs.join(", "),
        },
        _ if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake") =>
        {
            AdError::Tls {
                url: url.to_owned(),
                detail,
            }
        }
        LdapError::Io { .. } | LdapError::Timeout { .. } => AdError::Unreachable {
            url: url.to_owned(),
            detail,
        },
        LdapError::UrlParsing { .. } | LdapError::UnknownScheme(_) => AdError::Url(url.to_owned()),
        _ => AdError::Search(detail),
    }
}
