-- Broadcast packages: station keys and trust, groups of stations, and the
-- packages this PC built (sent) or imported (received).

-- A station's public signing key. `trusted_at` is set only when a person
-- chose to trust it after reading the key id back with that station.
ALTER TABLE stations ADD COLUMN public_key TEXT;
ALTER TABLE stations ADD COLUMN key_id TEXT;
ALTER TABLE stations ADD COLUMN trusted_at INTEGER;
CREATE UNIQUE INDEX stations_key_id ON stations(key_id) WHERE key_id IS NOT NULL;

CREATE TABLE station_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    search_key  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE station_group_members (
    group_id    INTEGER NOT NULL REFERENCES station_groups(id) ON DELETE CASCADE,
    station_id  INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, station_id)
);

-- A station that airs its own packages has both a sent and a received row
-- for the same manifest id.
CREATE TABLE packages (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL,          -- the manifest's id
    direction         TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    title             TEXT NOT NULL,
    issuer_station_id INTEGER REFERENCES stations(id) ON DELETE SET NULL,
    issuer_name       TEXT NOT NULL,
    issuer_code       TEXT NOT NULL DEFAULT '',
    key_id            TEXT NOT NULL,
    created           TEXT NOT NULL,          -- as in the manifest, with UTC offset
    valid_from        TEXT NOT NULL,
    valid_until       TEXT NOT NULL,
    priority          TEXT NOT NULL CHECK (priority IN ('normal', 'priority', 'emergency')),
    slots             TEXT NOT NULL DEFAULT '[]',
    targets           TEXT NOT NULL DEFAULT '{}',
    manifest          TEXT NOT NULL,          -- the exact signed bytes
    file_name         TEXT NOT NULL DEFAULT '',
    bytes             INTEGER NOT NULL DEFAULT 0,
    recorded_at       INTEGER NOT NULL,       -- built or imported
    UNIQUE (uuid, direction)
);
CREATE INDEX packages_recorded ON packages(direction, recorded_at);

CREATE TABLE package_items (
    id            INTEGER PRIMARY KEY,
    package_id    INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    script_id     INTEGER NOT NULL,           -- the issuer's script id
    revision      INTEGER NOT NULL,
    lang          TEXT NOT NULL,
    title         TEXT NOT NULL,
    program       TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    seconds       REAL NOT NULL,
    lufs          REAL,
    true_peak_db  REAL,
    folder        TEXT NOT NULL DEFAULT '',   -- received: the item's folder under packages/
    UNIQUE (package_id, seq)
);
CREATE INDEX package_items_package ON package_items(package_id);
