-- What a backup destination held at its last scan, to tell the next scan what changed
-- (backup.mass-change). One manifest per site and destination; each scan replaces it.
CREATE TABLE backup_manifests (
    site_key    TEXT NOT NULL,
    destination TEXT NOT NULL,
    scanned_at  TEXT NOT NULL,
    files       INTEGER NOT NULL,
    PRIMARY KEY (site_key, destination)
);

CREATE TABLE backup_manifest_files (
    site_key    TEXT NOT NULL,
    destination TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL,
    PRIMARY KEY (site_key, destination, path)
) WITHOUT ROWID;
