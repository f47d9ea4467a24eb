-- Failed sign-ins per address (hashed, known or not), for growing delays.
CREATE TABLE auth_failures (
    key  BYTEA NOT NULL,
    at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX auth_failures_key_at ON auth_failures (key, at);
