-- Non-destructive take edits. `edit` is the current trim/cut description
-- (JSON, see audio::edit::Edit); the measurements in `takes` describe the
-- edited audio, `source_seconds` the untouched recording. Every state the
-- edit has been in is kept in `take_edits` so it can be undone and redone;
-- `edit_seq` says which one is current.
ALTER TABLE takes ADD COLUMN edit TEXT NOT NULL DEFAULT '{}';
ALTER TABLE takes ADD COLUMN edit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE takes ADD COLUMN source_seconds REAL NOT NULL DEFAULT 0;
UPDATE takes SET source_seconds = seconds;

CREATE TABLE take_edits (
    take_id INTEGER NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    edit    TEXT NOT NULL,
    PRIMARY KEY (take_id, seq)
) WITHOUT ROWID;
