-- Incidents: an append-only, hash-chained action log per incident (who did what, when), and the
-- evidence files recorded by SHA-256. Editing or deleting a log line is refused here and, if
-- done behind mamori's back, detected by `incident verify` (the chain no longer adds up).
CREATE TABLE incidents (
    id         INTEGER PRIMARY KEY,
    site_key   TEXT NOT NULL,
    summary    TEXT NOT NULL,
    started_at TEXT NOT NULL,
    closed_at  TEXT
);

CREATE TABLE incident_log (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

CREATE TRIGGER incident_log_no_update BEFORE UPDATE ON incident_log
BEGIN SELECT RAISE(ABORT, 'the incident log is append-only'); END;
CREATE TRIGGER incident_log_no_delete BEFORE DELETE ON incident_log
BEGIN SELECT RAISE(ABORT, 'the incident log is append-only'); END;

CREATE TABLE incident_evidence (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    modified    TEXT,
    recorded_at TEXT NOT NULL
);
