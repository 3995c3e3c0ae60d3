-- Issue 18: term recognition and memory lookup follow changes (an edit
-- here, a hundred changes from the hub) without rebuilding their indexes.
-- Every write to a term or unit leaves its id here; an index built at one
-- point reads only what was touched since. Trimmed when the database is
-- opened (no index is older than that); an index older than what is kept
-- is rebuilt.

CREATE TABLE terms_touched (
    seq     INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL,
    lang    TEXT NOT NULL
);
CREATE TABLE tm_touched (
    seq         INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    -- The unit left (an index cannot take a unit out: rebuilt then).
    gone        INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER terms_touched_insert AFTER INSERT ON terms BEGIN
    INSERT INTO terms_touched(term_id, lang) VALUES (new.id, new.lang);
END;
CREATE TRIGGER terms_touched_update AFTER UPDATE OF concept_id, lang, text ON terms BEGIN
    INSERT INTO terms_touched(term_id, lang) VALUES (new.id, new.lang);
    INSERT INTO terms_touched(term_id, lang) SELECT old.id, old.lang WHERE old.lang <> new.lang;
END;
CREATE TRIGGER terms_touched_delete AFTER DELETE ON terms BEGIN
    INSERT INTO terms_touched(term_id, lang) VALUES (old.id, old.lang);
END;
-- A concept deleted or brought back takes its terms out of or into
-- recognition.
CREATE TRIGGER concepts_touched AFTER UPDATE OF deleted_at ON concepts
    WHEN old.deleted_at IS NOT new.deleted_at BEGIN
    INSERT INTO terms_touched(term_id, lang) SELECT id, lang FROM terms WHERE concept_id = new.id;
END;
CREATE TRIGGER tm_touched_insert AFTER INSERT ON tm_units BEGIN
    INSERT INTO tm_touched(unit_id, source_lang, target_lang)
    VALUES (new.id, new.source_lang, new.target_lang);
END;
CREATE TRIGGER tm_touched_update AFTER UPDATE ON tm_units BEGIN
    INSERT INTO tm_touched(unit_id, source_lang, target_lang)
    VALUES (new.id, new.source_lang, new.target_lang);
    INSERT INTO tm_touched(unit_id, source_lang, target_lang, gone)
    SELECT old.id, old.source_lang, old.target_lang, 1
     WHERE old.source_lang <> new.source_lang OR old.target_lang <> new.target_lang;
END;
CREATE TRIGGER tm_touched_delete AFTER DELETE ON tm_units BEGIN
    INSERT INTO tm_touched(unit_id, source_lang, target_lang, gone)
    VALUES (old.id, old.source_lang, old.target_lang, 1);
END;
-- The unique index on (source_lang, target_lang, source_key, target)
-- already serves lookups by language pair; a second index on the pair only
-- cost every insert.
DROP INDEX IF EXISTS tm_units_pair;
