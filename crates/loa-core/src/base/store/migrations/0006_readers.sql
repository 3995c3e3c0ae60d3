-- Reader profiles: announcers read at their own pace, and minority-language
-- readings run at other rates than Vietnamese. A script may name its reader;
-- its reading-time estimate then uses that reader's rate.
CREATE TABLE readers (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    lang   TEXT NOT NULL REFERENCES languages(code),
    rate   INTEGER NOT NULL CHECK (rate BETWEEN 60 AND 250)
);
ALTER TABLE scripts ADD COLUMN reader_id INTEGER REFERENCES readers(id) ON DELETE SET NULL;
