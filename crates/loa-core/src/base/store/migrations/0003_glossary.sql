-- Concept-based multilingual termbase (TBX-like): a concept holds terms in
-- any number of languages.
CREATE TABLE concepts (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT NOT NULL DEFAULT '',
    domain       TEXT NOT NULL DEFAULT '',
    definition   TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    concept_id  INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL REFERENCES languages(code),
    text        TEXT NOT NULL CHECK (length(text) > 0),
    search_key  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'admitted'
                CHECK (status IN ('preferred', 'admitted', 'deprecated', 'forbidden')),
    usage_note  TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX terms_concept ON terms(concept_id);
CREATE INDEX terms_lang_key ON terms(lang, search_key);
