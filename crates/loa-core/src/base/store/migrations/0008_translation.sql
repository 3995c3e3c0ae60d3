-- Language registry: the font a language is shown in and the letters a
-- Vietnamese keyboard cannot type (space-separated).
ALTER TABLE languages ADD COLUMN font TEXT NOT NULL DEFAULT '';
ALTER TABLE languages ADD COLUMN palette TEXT NOT NULL DEFAULT '';

-- Termbase details (TBX-Basic): part of speech, who last changed a term and
-- when; concepts are deleted softly so a deletion can be undone.
ALTER TABLE terms ADD COLUMN part_of_speech TEXT NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE terms SET updated_at = created_at;
ALTER TABLE concepts ADD COLUMN deleted_at INTEGER;

-- A script's translation into one language.
CREATE TABLE translations (
    script_id   INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL REFERENCES languages(code),
    status      TEXT NOT NULL DEFAULT 'in-progress'
                CHECK (status IN ('in-progress', 'translated')),
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (script_id, lang)
);

-- One row per source segment, in order. `source` is the Vietnamese sentence
-- the target was written for: when the script changes and the sentence no
-- longer matches, the segment is outdated.
CREATE TABLE translation_segments (
    script_id   INTEGER NOT NULL,
    lang        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('draft', 'confirmed')),
    translator  TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (script_id, lang, position),
    FOREIGN KEY (script_id, lang) REFERENCES translations(script_id, lang) ON DELETE CASCADE
);
