-- The dashboard (`mamori serve`): people who sign in, their sessions, failed sign-ins (for the
-- lockout and the per-address throttle), the status people give findings, and the audit log.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'vendor')),
    vendor         TEXT,
    -- Argon2id PHC string; never the password.
    password_hash  TEXT NOT NULL,
    -- Base32 TOTP secret (RFC 6238) or NULL when the user has none.
    totp_secret    TEXT,
    -- The last TOTP time step accepted: a code of that step or earlier is refused (no replay).
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

-- Only the SHA-256 of the session token is stored: a copy of the database signs nobody in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE login_failures (
    at        INTEGER NOT NULL,
    username  TEXT NOT NULL,
    source    TEXT NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures(username, at);
CREATE INDEX login_failures_by_source ON login_failures(source, at);

-- What people decided about a finding; kept across runs (the finding id is stable).
CREATE TABLE finding_status (
    site_key    TEXT NOT NULL,
    finding_id  TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('in-progress', 'done', 'accepted', 'false-positive')),
    reason      TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    due         TEXT,
    accepted_on TEXT,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (site_key, finding_id)
);

-- Append-only and hash-chained like the incident log: who did what, from where, with the
-- before/after of every change (in `text`, JSON).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    who        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
