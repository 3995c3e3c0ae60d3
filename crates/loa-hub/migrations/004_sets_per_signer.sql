-- Issue 29: a set's id is its signer's, not the hub's: another station's
-- set with the same id no longer makes a province's set vanish. Each set's
-- size is kept, so a page of the feed is bounded before any body is read.
ALTER TABLE change_sets DROP CONSTRAINT change_sets_id_key;
ALTER TABLE change_sets ADD CONSTRAINT change_sets_signer_id UNIQUE (station_key_id, id);
ALTER TABLE change_sets ADD COLUMN bytes integer NOT NULL DEFAULT 0;
UPDATE change_sets SET bytes = octet_length(body);
