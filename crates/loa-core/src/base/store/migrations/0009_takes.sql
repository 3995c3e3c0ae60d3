-- Audio takes: readings of a script in one language, recorded or imported.
-- The audio is a WAV file under the data folder's takes/ directory; the
-- measurement and a waveform overview are kept so lists need no decoding.
CREATE TABLE takes (
    id              INTEGER PRIMARY KEY,
    script_id       INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
    lang            TEXT NOT NULL REFERENCES languages(code),
    name            TEXT NOT NULL,
    file            TEXT NOT NULL UNIQUE,
    origin          TEXT NOT NULL CHECK (origin IN ('recorded', 'imported', 'recovered')),
    chosen          INTEGER NOT NULL DEFAULT 0,
    seconds         REAL NOT NULL,
    rate            INTEGER NOT NULL,
    channels        INTEGER NOT NULL,
    integrated_lufs REAL,
    range_lu        REAL NOT NULL,
    true_peak_db    REAL,
    peaks           BLOB NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX takes_script ON takes(script_id, lang);
-- At most one chosen take per script and language.
CREATE UNIQUE INDEX takes_chosen ON takes(script_id, lang) WHERE chosen = 1;
