-- Applications acting for a user through /api/v1 (OAuth 2.1 authorisation
-- code with PKCE): the mobile app and third-party apps, registered by the
-- platform's admins. A user's consent opens a token family, which is a row
-- of user_sessions: it is listed and revoked with the browser sessions on
-- /compte, and ended with them by a password change or a suspension.
CREATE TABLE oauth_apps (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The public identifier an app sends: "pa_" and 32 hexadecimal digits.
    client_id     TEXT NOT NULL UNIQUE CHECK (client_id ~ '^pa_[0-9a-f]{32}$'),
    name          TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    -- Exact redirect URIs (compared as strings, OAuth 2.1 §4.1.1).
    redirect_uris TEXT[] NOT NULL CHECK (cardinality(redirect_uris) BETWEEN 1 AND 10),
    -- The scopes it may ask a user for.
    scopes        TEXT[] NOT NULL CHECK (cardinality(scopes) >= 1),
    -- SHA-256 of its secret; NULL for a public client (a mobile app cannot
    -- keep one), which PKCE alone protects.
    secret_hash   BYTEA CHECK (octet_length(secret_hash) = 32),
    created_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at    TIMESTAMPTZ
);

-- A token family: the session row of one consent, with what it grants.
ALTER TABLE user_sessions
    ADD COLUMN oauth_app_id BIGINT REFERENCES oauth_apps (id) ON DELETE CASCADE,
    ADD COLUMN scopes TEXT[],
    ADD CONSTRAINT user_sessions_oauth_scopes CHECK ((oauth_app_id IS NULL) = (scopes IS NULL));

-- Authorisation codes: single use, one minute, bound to the app, the user,
-- the redirect URI and the PKCE challenge (S256 only).
CREATE TABLE oauth_codes (
    code_hash      BYTEA PRIMARY KEY CHECK (octet_length(code_hash) = 32),
    app_id         BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL CHECK (code_challenge ~ '^[A-Za-z0-9_-]{43}$'),
    scopes         TEXT[] NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

-- Refresh tokens, stored hashed: each use rotates it (used_at set, a new
-- one issued); a used one presented again revokes its whole family.
CREATE TABLE oauth_refresh_tokens (
    token_hash BYTEA PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    session_id BIGINT NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at    TIMESTAMPTZ
);
CREATE INDEX oauth_refresh_tokens_session ON oauth_refresh_tokens (session_id);

-- Organisation clients may now write, manage applications and enrolments.
ALTER TABLE api_clients DROP CONSTRAINT api_clients_scopes_check;
ALTER TABLE api_clients ADD CONSTRAINT api_clients_scopes_check
    CHECK (cardinality(scopes) >= 1
           AND scopes <@ ARRAY['offres:lecture', 'offres:ecriture', 'recrutement',
                               'formations:lecture', 'formations:ecriture', 'inscriptions']::text[]);
