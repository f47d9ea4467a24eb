-- An organisation's API clients (OAuth 2.1 client credentials, /api/v1):
-- created, listed and revoked by its owners on its dashboard.
CREATE TABLE api_clients (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The public identifier a partner sends: "pc_" and 32 hexadecimal digits.
    client_id       TEXT NOT NULL UNIQUE CHECK (client_id ~ '^pc_[0-9a-f]{32}$'),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    -- SHA-256 of the secret. The secret is 256 random bits, shown once: no
    -- dictionary or brute force can reach it, so a slow hash (argon2) would
    -- only cost time on every token request without adding any safety.
    secret_hash     BYTEA NOT NULL CHECK (octet_length(secret_hash) = 32),
    scopes          TEXT[] NOT NULL
        CHECK (cardinality(scopes) >= 1
               AND scopes <@ ARRAY['offres:lecture', 'formations:lecture']::text[]),
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at    TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ
);
-- The dashboard's list: an organisation's clients, newest first.
CREATE INDEX api_clients_by_organisation ON api_clients (organisation_id, created_at DESC);
