-- Translation memory: confirmed segment pairs. The match key (canonical
-- tones, lower case, one space between words) finds exact repeats; fuzzy
-- lookup uses an in-memory index built from these rows.
CREATE TABLE tm_units (
    id           INTEGER PRIMARY KEY,
    source_lang  TEXT NOT NULL,
    target_lang  TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (length(source) > 0),
    target       TEXT NOT NULL CHECK (length(target) > 0),
    source_key   TEXT NOT NULL,
    script_id    INTEGER REFERENCES scripts(id) ON DELETE SET NULL,
    translator   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (source_lang, target_lang, source_key, target)
);
CREATE INDEX tm_units_pair ON tm_units(source_lang, target_lang);
