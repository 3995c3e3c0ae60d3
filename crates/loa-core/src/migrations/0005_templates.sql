-- Script templates: the built-in ones (added by the Rust step) and the
-- user's own, saved from a script.
CREATE TABLE script_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    program     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT 'other'
                CHECK (category IN ('health', 'agriculture', 'law', 'security', 'disaster', 'other')),
    priority    TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'priority', 'emergency')),
    builtin     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
