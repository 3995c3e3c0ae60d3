-- Script editing: target duration, air dates, authorship and approval,
-- revisions, the workflow log, soft delete (for undo) and full-text search.
ALTER TABLE scripts ADD COLUMN target_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scripts ADD COLUMN air_from TEXT NOT NULL DEFAULT '';
ALTER TABLE scripts ADD COLUMN air_until TEXT NOT NULL DEFAULT '';
ALTER TABLE scripts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scripts ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE scripts ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE scripts ADD COLUMN approved_at INTEGER;
ALTER TABLE scripts ADD COLUMN deleted_at INTEGER;
ALTER TABLE scripts DROP COLUMN search_key;

-- One row per revision. A draft's edits amend its current revision; once a
-- revision has been sent for approval it is frozen, and the next edit
-- starts a new one.
CREATE TABLE script_revisions (
    script_id   INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    policy_ref  TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    frozen      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (script_id, revision)
);
INSERT INTO script_revisions(script_id, revision, title, body, policy_ref, frozen, created_at, updated_at)
    SELECT id, 1, title, body, policy_ref, status <> 'draft', created_at, updated_at FROM scripts;

-- Who moved a script from which status to which, and when.
CREATE TABLE script_events (
    id           INTEGER PRIMARY KEY,
    script_id    INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    who          TEXT NOT NULL DEFAULT '',
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX script_events_script ON script_events(script_id, at);

-- Full-text index over the normalizer's search keys (fold: no diacritics,
-- đ→d, lower case); SQLite's own diacritic folding misses đ. The rowid is
-- the script id; the Rust side keeps it in step with `scripts`.
CREATE VIRTUAL TABLE scripts_fts USING fts5(
    title, policy_ref, body,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- Title hits weigh 10×, the policy reference 4×: ORDER BY rank uses this.
INSERT INTO scripts_fts(scripts_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
