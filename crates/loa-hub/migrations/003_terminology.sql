-- Shared terminology (issue 18): the province's feed of signed change
-- sets, carried exactly as their stations signed them.
CREATE TABLE change_sets (
    seq            bigserial PRIMARY KEY,
    id             text NOT NULL UNIQUE,
    station_key_id text NOT NULL REFERENCES stations (key_id),
    body           text NOT NULL,
    signature      text NOT NULL,
    changes        integer NOT NULL,
    received_at    timestamptz NOT NULL
);
