-- Issue 18: glossaries and memories kept in step between offices by signed
-- changes (docs/shared-terminology.md).

-- Identities the same on every PC (filled by the data step, then by every
-- insert); local ids never leave the PC.
ALTER TABLE concepts ADD COLUMN uid TEXT;
ALTER TABLE terms ADD COLUMN uid TEXT;
ALTER TABLE tm_units ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX concepts_uid ON concepts(uid);
CREATE UNIQUE INDEX terms_uid ON terms(uid);
CREATE UNIQUE INDEX tm_units_uid ON tm_units(uid);

-- Two versions of a concept's fields, a term or its status, made apart.
ALTER TABLE concepts ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terms ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;

-- Signed sets of changes, as received or as this station sealed them.
CREATE TABLE change_sets (
    id          TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    station     TEXT NOT NULL,
    -- Exactly the bytes that were signed.
    body        BLOB NOT NULL,
    signature   TEXT NOT NULL,
    own         INTEGER NOT NULL,
    -- An own set the hub has taken.
    pushed      INTEGER NOT NULL DEFAULT 0,
    received_at INTEGER NOT NULL
);

-- Every change known here. An own change waits with no set until sealed.
CREATE TABLE changes (
    id       TEXT PRIMARY KEY,
    set_id   TEXT REFERENCES change_sets(id),
    key_id   TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL,
    subject  TEXT NOT NULL,
    -- JSON array of the ids of the versions this one replaces.
    base     TEXT NOT NULL,
    at       INTEGER NOT NULL,
    author   TEXT NOT NULL,
    -- JSON: the register's value.
    value    TEXT NOT NULL
);
CREATE INDEX changes_register ON changes(kind, subject);
CREATE INDEX changes_unsealed ON changes(id) WHERE set_id IS NULL;

-- Sets from the hub this station cannot take yet (a signer it has not
-- trusted naming approvers): tried again at each sync.
CREATE TABLE change_sets_held (
    id          TEXT PRIMARY KEY,
    body        BLOB NOT NULL,
    signature   TEXT NOT NULL,
    problem     TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
