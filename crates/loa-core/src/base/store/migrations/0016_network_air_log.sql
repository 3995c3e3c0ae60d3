-- On a province PC: every station's airings as the hub reported them, for
-- the reports (the station's own air log stays in air_log).
CREATE TABLE network_air_log (
    id            INTEGER PRIMARY KEY,     -- the hub's cursor
    station_key   TEXT NOT NULL,
    station_name  TEXT NOT NULL,
    admin_code    TEXT NOT NULL DEFAULT '',
    package_uuid  TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    seconds       REAL NOT NULL DEFAULT 0,
    aired_at      INTEGER NOT NULL,
    on_time       INTEGER
);
CREATE INDEX network_air_log_time ON network_air_log(aired_at);
