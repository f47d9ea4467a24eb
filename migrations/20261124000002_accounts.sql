-- Accounts: organisations and memberships, RBAC permissions, sign-in
-- sessions, single-use e-mail tokens, and the security audit log.

CREATE TABLE organisations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('centre', 'entreprise')),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 160),
    siret        TEXT NOT NULL UNIQUE CHECK (siret ~ '^[0-9]{14}$'),
    -- Public only once an admin approved it.
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewed_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX organisations_pending ON organisations (created_at) WHERE status = 'pending';

CREATE TABLE memberships (
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

-- Named permissions granted to roles; the server-side guard reads these.
CREATE TABLE permissions (
    name         TEXT PRIMARY KEY,
    description  TEXT NOT NULL
);
CREATE TABLE role_permissions (
    role        TEXT NOT NULL CHECK (role IN ('candidate', 'centre_member', 'recruiter', 'editor', 'admin')),
    permission  TEXT NOT NULL REFERENCES permissions (name) ON DELETE CASCADE,
    PRIMARY KEY (role, permission)
);

INSERT INTO permissions (name, description) VALUES
    ('profile.edit',        'Modifier son propre profil'),
    ('application.create',  'Postuler à une offre'),
    ('enrolment.create',    'Demander une inscription à une formation'),
    ('organisation.edit',   'Modifier la fiche de son organisation'),
    ('member.invite',       'Inviter des membres dans son organisation'),
    ('training.edit',       'Créer et modifier les formations de son centre'),
    ('training.publish',    'Publier les formations de son centre'),
    ('enrolment.review',    'Traiter les demandes d''inscription de son centre'),
    ('job.edit',            'Créer et modifier les offres de son entreprise'),
    ('job.publish',         'Publier les offres de son entreprise'),
    ('application.review',  'Traiter les candidatures de son entreprise'),
    ('article.edit',        'Rédiger des articles du blog'),
    ('article.publish',     'Publier des articles du blog'),
    ('organisation.review', 'Approuver ou refuser les organisations'),
    ('user.manage',         'Gérer les utilisateurs et leurs rôles'),
    ('audit.read_all',      'Lire tout le journal de sécurité');

INSERT INTO role_permissions (role, permission)
SELECT role, permission FROM (VALUES
    ('candidate', 'profile.edit'), ('candidate', 'application.create'), ('candidate', 'enrolment.create'),
    ('centre_member', 'profile.edit'), ('centre_member', 'organisation.edit'), ('centre_member', 'member.invite'),
    ('centre_member', 'training.edit'), ('centre_member', 'training.publish'), ('centre_member', 'enrolment.review'),
    ('recruiter', 'profile.edit'), ('recruiter', 'organisation.edit'), ('recruiter', 'member.invite'),
    ('recruiter', 'job.edit'), ('recruiter', 'job.publish'), ('recruiter', 'application.review'),
    ('editor', 'profile.edit'), ('editor', 'article.edit'), ('editor', 'article.publish'),
    ('admin', 'profile.edit'), ('admin', 'article.edit'), ('admin', 'article.publish'),
    ('admin', 'organisation.review'), ('admin', 'user.manage'), ('admin', 'audit.read_all')
) AS grants (role, permission);

-- One row per signed-in browser. The session cookie carries a random token;
-- only its SHA-256 is stored, so a database leak signs nobody in.
CREATE TABLE user_sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    BYTEA NOT NULL UNIQUE,
    user_agent    TEXT NOT NULL DEFAULT '',
    ip            TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX user_sessions_user ON user_sessions (user_id) WHERE revoked_at IS NULL;

-- Single-use, expiring tokens sent by e-mail (verification, reset, invitation); stored hashed.
CREATE TABLE email_tokens (
    token_hash   BYTEA PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Security events. user_id is kept NULL-able so deleting an account keeps
-- the (anonymised) trail.
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    event       TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    detail      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_user ON audit_log (user_id, at DESC);
