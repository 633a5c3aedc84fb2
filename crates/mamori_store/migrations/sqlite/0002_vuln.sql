-- Vulnerability intelligence (mamori vuln import). Records are kept as JSON in mamori's own
-- compact form (mamori_vuln::record); the columns beside them are what lookups need.

-- One row per CVE; the newer lastModified wins on re-import.
CREATE TABLE vuln_cves (
    id             TEXT PRIMARY KEY,
    last_modified  TEXT NOT NULL,
    record         TEXT NOT NULL
);

-- Which products (part:vendor:product) a CVE's vulnerable criteria name: matching loads only
-- the CVEs of the site's products.
CREATE TABLE vuln_cve_products (
    product  TEXT NOT NULL,
    cve_id   TEXT NOT NULL,
    PRIMARY KEY (product, cve_id)
) WITHOUT ROWID;
CREATE INDEX vuln_cve_products_by_cve ON vuln_cve_products(cve_id);

-- CISA KEV catalog entries.
CREATE TABLE vuln_kev (
    cve_id  TEXT PRIMARY KEY,
    record  TEXT NOT NULL
);

-- FIRST EPSS scores (latest import).
CREATE TABLE vuln_epss (
    cve_id      TEXT PRIMARY KEY,
    score       REAL NOT NULL,
    percentile  REAL NOT NULL
);

-- JVN iPedia entries.
CREATE TABLE vuln_jvn (
    id             TEXT PRIMARY KEY,
    last_modified  TEXT NOT NULL,
    record         TEXT NOT NULL
);

-- Each imported file: what it was, its own date, and when it was imported.
CREATE TABLE vuln_feeds (
    kind         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    stamp        TEXT,
    imported_at  TEXT    NOT NULL,
    records      INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    PRIMARY KEY (kind, source)
);
