-- One row per site (a hospital or clinic), identified by site.toml's id (or its name).
CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

-- One row per `mamori assess` (later: hunt, vuln) run.
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    site_id        INTEGER NOT NULL REFERENCES sites(id),
    kind           TEXT    NOT NULL,
    started_at     TEXT    NOT NULL,
    as_of          TEXT    NOT NULL,
    tool_version   TEXT    NOT NULL,
    finding_count  INTEGER NOT NULL,
    -- JSON: what was read (files, rows, encodings) and what was skipped.
    inputs         TEXT    NOT NULL
);
CREATE INDEX runs_by_site ON runs(site_id, kind, id);

-- The life of each finding of a site across runs.
CREATE TABLE findings (
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    finding_id      TEXT    NOT NULL,
    rule_id         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    first_seen_run  INTEGER NOT NULL REFERENCES runs(id),
    first_seen_at   TEXT    NOT NULL,
    last_seen_run   INTEGER NOT NULL REFERENCES runs(id),
    last_seen_at    TEXT    NOT NULL,
    resolved_run    INTEGER REFERENCES runs(id),
    PRIMARY KEY (site_id, finding_id)
);

-- Each run's findings as reported (the Finding JSON of docs/findings.md).
CREATE TABLE run_findings (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    finding_id  TEXT    NOT NULL,
    rule_id     TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    PRIMARY KEY (run_id, finding_id)
);
