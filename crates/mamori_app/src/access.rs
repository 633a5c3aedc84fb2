//! Who may sign in to the dashboard, and how: users with Argon2id password hashes (OWASP
//! parameters) and TOTP (RFC 6238, ±1 step, a code used once), sessions whose tokens only the
//! browser holds (the store keeps their SHA-256), a lockout per account and a throttle per
//! address, and every sign-in, failure and change written to the hash-chained audit log.

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::Timestamp;
use mamori_model::access::{Role, User};
use mamori_store::Store;
use mamori_store::access::{AuditEntry, SessionRow};
use sha2::{Digest, Sha256};

/// A session ends after this long without a request (seconds).
pub const IDLE_TIMEOUT: i64 = 30 * 60;
/// A session ends this long after sign-in whatever happens (seconds).
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 60 * 60;
/// Failed sign-ins to one account within [`FAILURE_WINDOW`] that lock it.
pub const LOCKOUT_FAILURES: i64 = 5;
/// Failed sign-ins from one address within [`FAILURE_WINDOW`] after which it is refused.
pub const SOURCE_FAILURES: i64 = 20;
/// The window failures are counted in (seconds).
pub const FAILURE_WINDOW: i64 = 15 * 60;

/// The shortest password accepted: 13 characters, or 8 with TOTP (the MHLW security
/// guideline's rule for passwords alone and with a second factor).
pub fn password_rule(with_totp: bool) -> usize {
    if with_totp { 8 } else { 13 }
}

/// Hashes a password with Argon2id (19 MiB, 2 passes, 1 lane: OWASP's recommendation).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A TOTP secret just made for a user, with the `otpauth://` URI an authenticator app reads.
pub struct NewTotp {
    /// The secret in Base32 (kept in the store).
    pub secret_base32: String,
    /// `otpauth://totp/mamori:NAME?secret=…&issuer=mamori`.
    pub uri: String,
}

fn totp_for(secret: Vec<u8>, user: &str) -> anyhow::Result<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(user.replace(':', "_"))
        .with_issuer(Some("mamori"))
        .build()
        .map_err(|e| anyhow::anyhow!("cannot make a TOTP secret: {e}"))
}

/// Makes a new random TOTP secret (160 bits) for `user`.
pub fn new_totp(user: &str) -> anyhow::Result<NewTotp> {
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let totp = totp_for(secret, user)?;
    Ok(NewTotp {
        secret_base32: totp.secret().to_base32(),
        uri: totp.to_url().map_err(|e| anyhow::anyhow!("{e}"))?,
    })
}

/// The TOTP step a code is valid for at `now` (±1 step of 30 s), if any.
pub fn totp_step(secret_base32: &str, code: &str, now: Timestamp) -> Option<i64> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).ok()?;
    let totp = totp_for(secret.as_ref().to_vec(), "x").ok()?;
    let step = totp.check(code.trim(), u64::try_from(now.as_second()).ok()?)?;
    i64::try_from(step).ok()
}

/// The code an authenticator shows at `now` (tests and the browser test sign in with it).
pub fn totp_code(secret_base32: &str, now: Timestamp) -> Option<String> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).ok()?;
    let totp = totp_for(secret.as_ref().to_vec(), "x").ok()?;
    Some(
        totp.generate(u64::try_from(now.as_second()).ok()?)
            .to_string(),
    )
}

/// A random token (256 bits, hex): session ids and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // Without randomness nothing can be signed in safely: better to stop than to go on.
    getrandom::fill(&mut bytes).expect("the operating system gives no random numbers");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a session token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes one line to the audit log: who, what, and a JSON body (where from, before/after).
pub async fn audit(
    store: &Store,
    now: Timestamp,
    who: &str,
    kind: &str,
    body: &serde_json::Value,
) -> Result<(), mamori_store::StoreError> {
    let (at, text) = (now.to_string(), body.to_string());
    store
        .append_audit(&AuditEntry {
            at: &at,
            who,
            kind,
            text: &text,
        })
        .await
        .map(|_| ())
}

/// A user to add (`mamori user add`).
pub struct NewUser {
    /// Sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The vendor id for a vendor user.
    pub vendor: Option<String>,
    /// The password as typed.
    pub password: String,
    /// Give them TOTP even if not an admin.
    pub totp: bool,
}

fn refuse(ja: String, en: String) -> anyhow::Error {
    anyhow::Error::msg(mamori_model::Refusal::new(ja, en))
}

fn check_password(password: &str, with_totp: bool) -> anyhow::Result<()> {
    let min = password_rule(with_totp);
    if password.chars().count() < min {
        return Err(refuse(
            format!(
                "パスワードは {min} 文字以上にしてください（いまは {} 文字）。",
                password.chars().count()
            ),
            format!(
                "the password must have at least {min} characters (it has {})",
                password.chars().count()
            ),
        ));
    }
    Ok(())
}

/// Adds a user; admins (and anyone asking) get a TOTP secret, returned once.
pub async fn add_user(
    store: &Store,
    new: NewUser,
    now: Timestamp,
    by: &str,
) -> anyhow::Result<(User, Option<NewTotp>)> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse(
            format!("ユーザー名 {name:?} は使えません。空白を含まない名前にしてください。"),
            format!("the user name {name:?} cannot be used: give one without spaces"),
        ));
    }
    if (new.role == Role::Vendor) != new.vendor.is_some() {
        return Err(refuse(
            "事業者のユーザーには --vendor で事業者一覧の ID を指定してください（事業者以外には指定しません）。".into(),
            "a vendor user needs --vendor with the vendor's id from the vendor list (and only a vendor user)".into(),
        ));
    }
    let with_totp = new.totp || new.role == Role::Admin;
    check_password(&new.password, with_totp)?;
    let totp = with_totp.then(|| new_totp(name)).transpose()?;
    let user = User {
        id: 0,
        name: name.to_owned(),
        role: new.role,
        vendor: new.vendor.clone(),
        has_totp: with_totp,
        disabled: false,
        created_at: now.to_string(),
    };
    let hash = hash_password(&new.password)?;
    let secret = totp.as_ref().map(|t| t.secret_base32.as_str());
    let Some(id) = store.add_user(&user, &hash, secret).await? else {
        return Err(refuse(
            format!("ユーザー {name} はすでにあります。"),
            format!("the user {name} exists already"),
        ));
    };
    let body = serde_json::json!({"user": name, "after": {"role": new.role, "vendor": new.vendor, "totp": with_totp}});
    audit(store, now, by, "user-add", &body).await?;
    Ok((User { id, ..user }, totp))
}

/// A change to an existing user (`mamori user disable|reset-password|reset-totp`).
pub enum UserChange {
    /// No more sign-ins; their sessions end.
    Disable,
    /// A new password (sessions end).
    Password(String),
    /// A new TOTP secret, returned once (sessions end).
    NewTotp,
}

/// Applies a change; returns the new TOTP secret for [`UserChange::NewTotp`].
pub async fn change_user(
    store: &Store,
    name: &str,
    change: UserChange,
    now: Timestamp,
    by: &str,
) -> anyhow::Result<Option<NewTotp>> {
    let stored = store.user(name).await?.ok_or_else(|| {
        refuse(
            format!("ユーザー {name} はいません（mamori user list で確かめてください）。"),
            format!("there is no user {name} (see mamori user list)"),
        )
    })?;
    let (kind, totp) = match change {
        UserChange::Disable => {
            store.update_user(name, None, None, Some(true)).await?;
            ("user-disable", None)
        }
        UserChange::Password(password) => {
            check_password(&password, stored.user.has_totp)?;
            let hash = hash_password(&password)?;
            store.update_user(name, Some(&hash), None, None).await?;
            ("user-reset-password", None)
        }
        UserChange::NewTotp => {
            let totp = new_totp(name)?;
            let secret = Some(totp.secret_base32.as_str());
            store.update_user(name, None, Some(secret), None).await?;
            ("user-reset-totp", Some(totp))
        }
    };
    audit(store, now, by, kind, &serde_json::json!({"user": name})).await?;
    Ok(totp)
}

/// A sign-in attempt from the login form.
pub struct Attempt<'a> {
    /// The name typed.
    pub username: &'a str,
    /// The password typed.
    pub password: &'a str,
    /// The TOTP code typed (empty when none).
    pub totp: &'a str,
    /// Where from (the client's address).
    pub source: &'a str,
    /// When.
    pub now: Timestamp,
}

/// How a sign-in ended.
pub enum SignIn {
    /// Signed in: the session token (for the cookie) and its CSRF token.
    Granted {
        /// Who.
        user: User,
        /// The session token; the store keeps only its hash.
        token: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// Wrong name, password or code (one answer for all, so names cannot be probed).
    Invalid,
    /// Too many failures for this account in the window.
    LockedOut,
    /// Too many failures from this address in the window.
    Throttled,
}

/// Checks an attempt: the per-address throttle and the account lockout first, then password
/// and TOTP; records failures and writes the audit log.
pub async fn sign_in(store: &Store, a: &Attempt<'_>) -> anyhow::Result<SignIn> {
    let now = a.now.as_second();
    let since = now - FAILURE_WINDOW;
    let (by_user, by_source) = store
        .login_failures_since(since, a.username, a.source)
        .await?;
    let from = serde_json::json!({"from": a.source});
    if by_source >= SOURCE_FAILURES {
        store
            .record_login_failure(now, a.username, a.source)
            .await?;
        audit(store, a.now, a.username, "login-throttled", &from).await?;
        return Ok(SignIn::Throttled);
    }
    if by_user >= LOCKOUT_FAILURES {
        store
            .record_login_failure(now, a.username, a.source)
            .await?;
        audit(store, a.now, a.username, "login-locked", &from).await?;
        return Ok(SignIn::LockedOut);
    }
    let stored = store.user(a.username).await?;
    // Hash even for an unknown name, so that the time taken does not tell names apart.
    let dummy = DUMMY_HASH.get_or_init(|| hash_password("mamori-no-such-user").unwrap_or_default());
    let phc = stored
        .as_ref()
        .map_or(dummy.as_str(), |s| s.password_hash.as_str());
    let password_ok = verify_password(a.password, phc);
    let granted = match &stored {
        Some(s) if password_ok && !s.user.disabled => match &s.totp_secret {
            None => true,
            Some(secret) => match totp_step(secret, a.totp, a.now) {
                Some(step) => store.use_totp_step(s.user.id, step).await?,
                None => false,
            },
        },
        _ => false,
    };
    let Some(stored) = stored.filter(|_| granted) else {
        store
            .record_login_failure(now, a.username, a.source)
            .await?;
        audit(store, a.now, a.username, "login-failed", &from).await?;
        if by_user + 1 == LOCKOUT_FAILURES {
            audit(store, a.now, a.username, "lockout", &from).await?;
        }
        return Ok(SignIn::Invalid);
    };
    let (token, csrf) = (random_token(), random_token());
    store
        .create_session(&token_hash(&token), stored.user.id, &csrf, now, a.source)
        .await
        .context("cannot start the session")?;
    audit(store, a.now, &stored.user.name, "login", &from).await?;
    Ok(SignIn::Granted {
        user: stored.user,
        token,
        csrf,
    })
}

static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The signed-in session for a token, if it is still valid at `now` (not idle for 30 min, not
/// older than 12 h, its user not disabled); an expired one is ended.
pub async fn session(
    store: &Store,
    token: &str,
    now: Timestamp,
) -> Result<Option<SessionRow>, mamori_store::StoreError> {
    let hash = token_hash(token);
    let Some(row) = store.session(&hash).await? else {
        return Ok(None);
    };
    let now = now.as_second();
    if row.user.disabled
        || now - row.last_seen > IDLE_TIMEOUT
        || now - row.created_at > ABSOLUTE_TIMEOUT
    {
        store.end_session(&hash).await?;
        return Ok(None);
    }
    // One write a minute at most: the idle clock does not need every request.
    if now - row.last_seen >= 60 {
        store.touch_session(&hash, now).await?;
    }
    Ok(Some(row))
}

/// Ends a session (sign-out) and notes it in the audit log.
pub async fn sign_out(
    store: &Store,
    token: &str,
    who: &str,
    source: &str,
    now: Timestamp,
) -> Result<(), mamori_store::StoreError> {
    store.end_session(&token_hash(token)).await?;
    audit(
        store,
        now,
        who,
        "logout",
        &serde_json::json!({"from": source}),
    )
    .await
}

/// What `mamori user …` asks for.
pub enum UserCommand {
    /// Add a user.
    Add(NewUser),
    /// List the users.
    List,
    /// Change one user.
    Change(String, UserChange),
}

/// What a user command did: the users (for `list`), and a TOTP secret to show once.
pub struct UserOutcome {
    /// Every user (`list`).
    pub users: Vec<User>,
    /// `(user, secret)` when one was made.
    pub totp: Option<(String, NewTotp)>,
}

/// Runs a user command on the database at `db`; `by` is the login name of whoever ran it.
pub async fn users(
    db: &std::path::Path,
    command: UserCommand,
    by: &str,
) -> anyhow::Result<UserOutcome> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let now = Timestamp::now();
    let by = format!("{by}（コマンド / command line）");
    let outcome = match command {
        UserCommand::Add(new) => {
            let (user, totp) = add_user(&store, new, now, &by).await?;
            UserOutcome {
                users: vec![user.clone()],
                totp: totp.map(|t| (user.name, t)),
            }
        }
        UserCommand::List => UserOutcome {
            users: store.users().await?,
            totp: None,
        },
        UserCommand::Change(name, change) => {
            let totp = change_user(&store, &name, change, now, &by).await?;
            UserOutcome {
                users: Vec::new(),
                totp: totp.map(|t| (name, t)),
            }
        }
    };
    store.close().await;
    Ok(outcome)
}

/// The whole audit log, oldest first, and the first line whose hash chain does not add up.
pub async fn audit_log(
    db: &std::path::Path,
) -> anyhow::Result<(Vec<mamori_model::incident::LogLine>, Option<i64>)> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let lines = store.audit_log(None).await?;
    store.close().await;
    let broken = mamori_model::incident::verify_chain(&lines).err();
    Ok((lines, broken))
}
