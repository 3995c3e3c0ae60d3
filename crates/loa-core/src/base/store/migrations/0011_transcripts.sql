-- What was said in a take: from Whisper (Vietnamese), or timed by hand
-- while listening (languages no model knows). One per take; times count in
-- the edited take as it was at `take_edit_seq`, so a later edit can be
-- flagged as making the timings stale.
CREATE TABLE transcripts (
    id            INTEGER PRIMARY KEY,
    take_id       INTEGER NOT NULL UNIQUE REFERENCES takes(id) ON DELETE CASCADE,
    source        TEXT NOT NULL CHECK (source IN ('whisper', 'manual')),
    model         TEXT NOT NULL DEFAULT '',
    take_edit_seq INTEGER NOT NULL,
    seconds       REAL NOT NULL,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Lines in time order. `words` is a JSON list of [start, end, text,
-- probability] where the recognizer gave word timings, else [].
CREATE TABLE transcript_segments (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    start         REAL NOT NULL,
    end           REAL NOT NULL,
    text          TEXT NOT NULL,
    confidence    REAL NOT NULL,
    words         TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (transcript_id, pos)
) WITHOUT ROWID;
