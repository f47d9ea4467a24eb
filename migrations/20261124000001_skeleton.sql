-- The skeleton: newsletter sign-ups and the users table that accounts build on.

CREATE TABLE newsletter_subscribers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored normalised (trimmed, lower case) by the application.
    email       TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    display_name      TEXT NOT NULL DEFAULT '',
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL
                      CHECK (role IN ('candidate', 'centre_member', 'recruiter', 'editor', 'admin')),
    email_verified_at TIMESTAMPTZ,
    -- Admins made from the command line must enrol TOTP at first sign-in.
    must_enrol_totp   BOOLEAN NOT NULL DEFAULT false,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
