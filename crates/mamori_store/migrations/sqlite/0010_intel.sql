-- `mamori intel import`: one row per blocklist (named after its file), replaced whole by a
-- re-import. `entries` is the list as read — names, addresses, networks and paths, one per
-- line — compressed with zstd; `problems` counts the lines left out.
CREATE TABLE intel_lists (
    name        TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    stamp       TEXT,
    imported_at TEXT NOT NULL,
    domains     INTEGER NOT NULL,
    addresses   INTEGER NOT NULL,
    networks    INTEGER NOT NULL,
    paths       INTEGER NOT NULL,
    problems    INTEGER NOT NULL,
    entries     BLOB NOT NULL
);
