-- `mamori watch`: each live alert (a log detection's finding when first raised, or raised
-- again after a quiet day), with the finding as JSON.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    site_key    TEXT NOT NULL,
    finding_id  TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    severity    TEXT NOT NULL,
    at          TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX alerts_by_site ON alerts(site_key, id);
