-- TOTP second factor (RFC 6238) and single-use recovery codes.

ALTER TABLE users
    -- Base32 secret; set at enrolment start, active once totp_enabled_at is set.
    ADD COLUMN totp_secret      TEXT,
    ADD COLUMN totp_enabled_at  TIMESTAMPTZ,
    -- Last accepted time step: a code is accepted once (RFC 6238 §5.2).
    ADD COLUMN totp_last_step   BIGINT NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  BYTEA NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);
