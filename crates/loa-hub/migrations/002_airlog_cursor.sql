-- A cursor over receipts, so the province can fetch every station's air
-- log from where it stopped.
ALTER TABLE receipts ADD COLUMN id bigserial;
CREATE UNIQUE INDEX receipts_id ON receipts (id);
