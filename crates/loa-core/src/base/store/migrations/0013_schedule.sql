-- The receiving station's broadcast week and what actually aired.

-- Daily broadcast slots, e.g. 06:00–06:30 and 17:00–17:30. Minutes after
-- midnight; `days` is a Monday-first bit mask of the weekdays it runs.
CREATE TABLE slots (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL DEFAULT '',
    start    INTEGER NOT NULL CHECK (start BETWEEN 0 AND 1439),
    end      INTEGER NOT NULL CHECK (end > start AND end <= 1440),
    days     INTEGER NOT NULL DEFAULT 127 CHECK (days BETWEEN 1 AND 127)
);
INSERT INTO slots(name, start, end) VALUES ('Buổi sáng', 360, 390), ('Buổi chiều', 1020, 1050);

-- An item placed on a day: in a slot, or (emergencies) at a time of its own.
CREATE TABLE schedule_entries (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES package_items(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,                 -- YYYY-MM-DD
    slot_id     INTEGER REFERENCES slots(id) ON DELETE CASCADE,
    at_minute   INTEGER,                       -- when not in a slot
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK ((slot_id IS NULL) <> (at_minute IS NULL))
);
CREATE INDEX schedule_day ON schedule_entries(day);
CREATE UNIQUE INDEX schedule_once_per_slot ON schedule_entries(item_id, day, slot_id)
    WHERE slot_id IS NOT NULL;

-- What aired. Kept when the package is deleted (reports need it), so the
-- item's title, language and issuer are copied in.
CREATE TABLE air_log (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER REFERENCES package_items(id) ON DELETE SET NULL,
    entry_id      INTEGER REFERENCES schedule_entries(id) ON DELETE SET NULL,
    package_uuid  TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT '',
    station_id    INTEGER REFERENCES stations(id) ON DELETE SET NULL,
    aired_at      INTEGER NOT NULL,
    seconds       REAL NOT NULL,
    on_time       INTEGER,                      -- aired within the package's validity (1/0)
    source        TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    created_at    INTEGER NOT NULL
);
CREATE INDEX air_log_time ON air_log(aired_at);
CREATE UNIQUE INDEX air_log_entry ON air_log(entry_id) WHERE entry_id IS NOT NULL;
