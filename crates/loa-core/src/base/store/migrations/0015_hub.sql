-- The station's link to the province hub, kept here so nothing is lost
-- while offline: packages waiting to be sent, what the inbox brought and
-- how far each got, and receipts waiting to be reported.

CREATE TABLE hub_outbox (
    id          INTEGER PRIMARY KEY,
    package_id  INTEGER NOT NULL UNIQUE REFERENCES packages(id) ON DELETE CASCADE,
    file        TEXT NOT NULL,                 -- a copy under the data folder
    to_codes    TEXT NOT NULL DEFAULT '',      -- the issuer's groups, expanded
    queued_at   INTEGER NOT NULL,
    sent_at     INTEGER,
    problem     TEXT                           -- the hub's refusal code, if refused
);

CREATE TABLE hub_inbox (
    seq           INTEGER PRIMARY KEY,         -- the hub's cursor
    sha256        TEXT NOT NULL UNIQUE,
    package_uuid  TEXT NOT NULL,
    title         TEXT NOT NULL,
    priority      TEXT NOT NULL,
    issuer_key_id TEXT NOT NULL,
    size          INTEGER NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('listed', 'downloaded', 'imported', 'refused')),
    problem       TEXT,                        -- why it waits or was refused
    updated_at    INTEGER NOT NULL
);

CREATE TABLE hub_receipts (
    id            INTEGER PRIMARY KEY,
    package_uuid  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('delivered', 'imported', 'aired')),
    at            TEXT NOT NULL,               -- RFC 3339
    lang          TEXT NOT NULL DEFAULT '',
    seconds       REAL NOT NULL DEFAULT 0,
    on_time       INTEGER,
    sent_at       INTEGER,
    UNIQUE (package_uuid, kind, at)
);
