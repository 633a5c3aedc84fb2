//! The dashboard's tables: users, sessions, failed sign-ins, the status people give findings,
//! and the append-only, hash-chained audit log.

use mamori_model::access::{Decision, DecisionStatus, Role, User};
use mamori_model::incident::LogLine;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::{Store, StoreError};

/// A user as stored, with the secrets the sign-in needs (never shown).
#[derive(Clone, Debug)]
pub struct StoredUser {
    /// The user.
    pub user: User,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Base32 TOTP secret.
    pub totp_secret: Option<String>,
    /// The last TOTP step accepted.
    pub totp_last_step: i64,
}

/// A signed-in session, looked up by the hash of its token.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Whose.
    pub user: User,
    /// The synchronizer token every form of this session carries.
    pub csrf_token: String,
    /// Unix seconds when signed in (absolute timeout).
    pub created_at: i64,
    /// Unix seconds of the last request (idle timeout).
    pub last_seen: i64,
}

/// One line of the audit log to append.
pub struct AuditEntry<'a> {
    /// When (RFC 3339).
    pub at: &'a str,
    /// Who (a user name, or the name tried at a failed sign-in).
    pub who: &'a str,
    /// What kind of event: `login`, `login-failed`, `lockout`, `finding-status`…
    pub kind: &'a str,
    /// JSON: where from, what, before and after.
    pub text: &'a str,
}

const USER_COLUMNS: &str = "SELECT id, name, role, vendor, totp_secret, disabled, created_at, \
     password_hash, totp_last_step FROM users";

fn stored_user(row: &sqlx::sqlite::SqliteRow) -> Result<StoredUser, StoreError> {
    let role: String = row.get(2);
    let totp_secret: Option<String> = row.get(4);
    Ok(StoredUser {
        user: User {
            id: row.get(0),
            name: row.get(1),
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("user role {role:?}")))?,
            vendor: row.get(3),
            has_totp: totp_secret.is_some(),
            disabled: row.get::<i64, _>(5) != 0,
            created_at: row.get(6),
        },
        password_hash: row.get(7),
        totp_secret,
        totp_last_step: row.get(8),
    })
}

impl Store {
    /// Adds a user; `Ok(None)` when the name is taken.
    pub async fn add_user(
        &self,
        user: &User,
        password_hash: &str,
        totp_secret: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO users (name, role, vendor, password_hash, totp_secret, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.vendor)
        .bind(password_hash)
        .bind(totp_secret)
        .bind(&user.created_at)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// A user by sign-in name.
    pub async fn user(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(USER_COLUMNS);
        q.push(" WHERE name = ").push_bind(name);
        let row = q.build().fetch_optional(&self.pool).await?;
        row.as_ref().map(stored_user).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(USER_COLUMNS);
        q.push(" ORDER BY name");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| stored_user(r).map(|s| s.user))
            .collect()
    }

    /// Changes a user's password, TOTP secret or disabled flag (whichever is `Some`), and ends
    /// their sessions. `false` when there is no such user.
    pub async fn update_user(
        &self,
        name: &str,
        password_hash: Option<&str>,
        totp_secret: Option<Option<&str>>,
        disabled: Option<bool>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE name = ?1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id,)) = id else {
            return Ok(false);
        };
        if let Some(hash) = password_hash {
            sqlx::query("UPDATE users SET password_hash = ?1 WHERE id = ?2")
                .bind(hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(secret) = totp_secret {
            sqlx::query("UPDATE users SET totp_secret = ?1, totp_last_step = 0 WHERE id = ?2")
                .bind(secret)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(disabled) = disabled {
            sqlx::query("UPDATE users SET disabled = ?1 WHERE id = ?2")
                .bind(i64::from(disabled))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Accepts a TOTP time step once: `false` when this step (or a later one) was already used.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = ?1 WHERE id = ?2 AND totp_last_step < ?1",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed sign-in.
    pub async fn record_login_failure(
        &self,
        at: i64,
        username: &str,
        source: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (at, username, source) VALUES (?1, ?2, ?3)")
            .bind(at)
            .bind(username)
            .bind(source)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed sign-ins since `since` (Unix seconds): for the account, and from the address.
    pub async fn login_failures_since(
        &self,
        since: i64,
        username: &str,
        source: &str,
    ) -> Result<(i64, i64), StoreError> {
        let (by_user,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM login_failures WHERE username = ?1 AND at >= ?2")
                .bind(username)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        let (by_source,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM login_failures WHERE source = ?1 AND at >= ?2")
                .bind(source)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok((by_user, by_source))
    }

    /// Starts a session (the caller made the token; only its hash is stored).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: i64,
        source: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, source)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(source)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session with this token hash and its user.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role, u.vendor, u.totp_secret, u.disabled, u.created_at,
                    u.password_hash, u.totp_last_step, s.csrf_token, s.created_at, s.last_seen
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(SessionRow {
            user: stored_user(&row)?.user,
            csrf_token: row.get(9),
            created_at: row.get(10),
            last_seen: row.get(11),
        }))
    }

    /// Marks a session used now.
    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2")
            .bind(now)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a session.
    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Appends a line to the audit log, chained to the last one.
    pub async fn append_audit(&self, entry: &AuditEntry<'_>) -> Result<LogLine, StoreError> {
        let mut tx = self.pool.begin().await?;
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let line = LogLine::next(last, entry.at, entry.who, entry.kind, entry.text);
        let insert = sqlx::query(
            "INSERT INTO audit_log (seq, at, who, kind, text, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        );
        crate::incident::bind_line(insert, &line)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(line)
    }

    /// The whole audit log, oldest first (to verify its chain), or the newest `limit` lines.
    pub async fn audit_log(&self, limit: Option<u32>) -> Result<Vec<LogLine>, StoreError> {
        let rows: Vec<crate::incident::LineRow> =
            match limit {
                Some(n) => {
                    sqlx::query_as(
                        "SELECT seq, at, who, kind, text, prev_hash, hash FROM audit_log
                     ORDER BY seq DESC LIMIT ?1",
                    )
                    .bind(i64::from(n))
                    .fetch_all(&self.pool)
                    .await?
                }
                None => sqlx::query_as(
                    "SELECT seq, at, who, kind, text, prev_hash, hash FROM audit_log ORDER BY seq",
                )
                .fetch_all(&self.pool)
                .await?,
            };
        Ok(rows.into_iter().map(crate::incident::line_of).collect())
    }

    /// Sets (or, with `None`, clears) the status of a finding; returns the one before.
    pub async fn set_decision(
        &self,
        site_key: &str,
        finding_id: &str,
        decision: Option<&Decision>,
    ) -> Result<Option<Decision>, StoreError> {
        let before = self.decision(site_key, finding_id).await?;
        match decision {
            Some(d) => {
                sqlx::query(
                    "INSERT INTO finding_status (site_key, finding_id, status, reason, owner, due,
                         accepted_on, updated_by, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (site_key, finding_id) DO UPDATE SET status = ?3, reason = ?4,
                         owner = ?5, due = ?6, accepted_on = ?7, updated_by = ?8, updated_at = ?9",
                )
                .bind(site_key)
                .bind(finding_id)
                .bind(d.status.as_str())
                .bind(&d.reason)
                .bind(&d.owner)
                .bind(&d.due)
                .bind(&d.accepted_on)
                .bind(&d.updated_by)
                .bind(&d.updated_at)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM finding_status WHERE site_key = ?1 AND finding_id = ?2")
                    .bind(site_key)
                    .bind(finding_id)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(before)
    }

    /// The status of one finding.
    pub async fn decision(
        &self,
        site_key: &str,
        finding_id: &str,
    ) -> Result<Option<Decision>, StoreError> {
        Ok(self
            .decisions_where(site_key, Some(finding_id))
            .await?
            .pop())
    }

    /// Every status people gave the site's findings.
    pub async fn decisions(&self, site_key: &str) -> Result<Vec<Decision>, StoreError> {
        self.decisions_where(site_key, None).await
    }

    async fn decisions_where(
        &self,
        site_key: &str,
        finding_id: Option<&str>,
    ) -> Result<Vec<Decision>, StoreError> {
        let rows = sqlx::query(
            "SELECT finding_id, status, reason, owner, due, accepted_on, updated_by, updated_at
             FROM finding_status WHERE site_key = ?1 AND (?2 IS NULL OR finding_id = ?2)",
        )
        .bind(site_key)
        .bind(finding_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.get(1);
                Ok(Decision {
                    finding_id: row.get(0),
                    status: DecisionStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("finding status {status:?}")))?,
                    reason: row.get(2),
                    owner: row.get(3),
                    due: row.get(4),
                    accepted_on: row.get(5),
                    updated_by: row.get(6),
                    updated_at: row.get(7),
                })
            })
            .collect()
    }
}
