-- The province network: enrolled stations, packages by content hash, each
-- station's inbox, receipts and status.
CREATE TABLE stations (
    key_id      text PRIMARY KEY,
    public_key  text NOT NULL,
    name        text NOT NULL,
    admin_code  text NOT NULL DEFAULT '',
    role        text NOT NULL CHECK (role IN ('province', 'commune')),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz,
    app_version text,
    free_disk   bigint
);
CREATE INDEX stations_admin_code ON stations (admin_code);

-- Nonces seen within the allowed clock skew: a replayed request is refused.
CREATE TABLE nonces (
    key_id  text NOT NULL,
    nonce   text NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX nonces_seen_at ON nonces (seen_at);

CREATE TABLE packages (
    sha256        text PRIMARY KEY,
    package_id    text NOT NULL,
    title         text NOT NULL,
    priority      text NOT NULL,
    issuer_key_id text NOT NULL REFERENCES stations (key_id),
    size          bigint NOT NULL,
    manifest      jsonb NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);

-- Each station's inbox; seq is the cursor a station syncs from.
CREATE TABLE deliveries (
    seq            bigserial PRIMARY KEY,
    station_key_id text NOT NULL REFERENCES stations (key_id),
    sha256         text NOT NULL REFERENCES packages (sha256),
    UNIQUE (station_key_id, sha256)
);

CREATE TABLE receipts (
    station_key_id text NOT NULL REFERENCES stations (key_id),
    package_id     text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('delivered', 'imported', 'aired')),
    at             timestamptz NOT NULL,
    lang           text NOT NULL DEFAULT '',
    seconds        double precision NOT NULL DEFAULT 0,
    on_time        boolean,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_key_id, package_id, kind, at)
);
