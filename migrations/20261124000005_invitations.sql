-- Owners invite members to their organisation by e-mail; contact preferences.

CREATE TABLE invitations (
    token_hash       BYTEA PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email            TEXT NOT NULL CHECK (email = lower(email)),
    invited_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    accepted_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invitations_organisation ON invitations (organisation_id);

-- Whether the user accepts information e-mails (security e-mails always go).
ALTER TABLE users ADD COLUMN contact_by_email BOOLEAN NOT NULL DEFAULT true;
