-- Issue 29: a change set from the hub that cannot be applied here (a
-- language this station lacks, a row that would break a constraint) is held
-- with what stops it, listed in the app, and tried again at each sync.
ALTER TABLE change_sets_held ADD COLUMN detail TEXT NOT NULL DEFAULT '';
