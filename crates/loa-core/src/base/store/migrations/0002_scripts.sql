-- Broadcast scripts and the programs they belong to.
CREATE TABLE programs (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE scripts (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL CHECK (length(title) > 0),
    body          TEXT NOT NULL DEFAULT '',
    program_id    INTEGER REFERENCES programs(id) ON DELETE SET NULL,
    category      TEXT NOT NULL DEFAULT 'other'
                  CHECK (category IN ('health', 'agriculture', 'law', 'security', 'disaster', 'other')),
    priority      TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'priority', 'emergency')),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'approved')),
    policy_ref    TEXT NOT NULL DEFAULT '',
    target_langs  TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    search_key    TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX scripts_updated ON scripts(updated_at DESC);
