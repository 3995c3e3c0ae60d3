-- Settings, the language registry and the station directory.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE languages (
    code        TEXT PRIMARY KEY,          -- ISO 639-3
    name_vi     TEXT NOT NULL,
    name_native TEXT NOT NULL DEFAULT '',
    script      TEXT NOT NULL DEFAULT 'Latn' CHECK (script IN ('Latn', 'Tavt')),
    sort        INTEGER NOT NULL DEFAULT 100
);

-- Any station can issue and any can receive: no fixed hierarchy, only an
-- optional parent for display and the administrative code when there is one.
CREATE TABLE stations (
    id          INTEGER PRIMARY KEY,
    level       TEXT NOT NULL CHECK (level IN ('province', 'commune', 'other')),
    admin_code  TEXT,
    name        TEXT NOT NULL,
    unit_type   TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES stations(id) ON DELETE SET NULL,
    languages   TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    search_key  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (level, admin_code)
);
CREATE INDEX stations_parent ON stations(parent_id);

-- Pre-2025 units merged into a station: old names stay searchable.
CREATE TABLE station_aliases (
    station_id  INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    old_code    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    merge_type  TEXT NOT NULL DEFAULT 'full' CHECK (merge_type IN ('full', 'partial')),
    search_key  TEXT NOT NULL
);
CREATE INDEX station_aliases_station ON station_aliases(station_id);
