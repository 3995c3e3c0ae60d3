-- Every package ever imported, by its manifest id. It outlives the
-- library's row: a package deleted from the library is not imported again.
CREATE TABLE imported_packages (
    uuid        TEXT PRIMARY KEY,
    imported_at INTEGER NOT NULL
);
INSERT INTO imported_packages(uuid, imported_at)
    SELECT uuid, recorded_at FROM packages WHERE direction = 'received';
