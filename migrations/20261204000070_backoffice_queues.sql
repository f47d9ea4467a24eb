-- The back office's other queues: background jobs retried or set aside by
-- an admin, content withdrawn by moderation, and the newsletter's issues.

INSERT INTO permissions (name, description) VALUES
    ('task.manage', 'Relancer ou écarter une tâche de fond'),
    ('content.moderate', 'Retirer une offre, une formation ou un article, motif envoyé à son auteur'),
    ('newsletter.manage', 'Consulter les abonnés et envoyer la lettre d''information');
INSERT INTO role_permissions (role, permission) VALUES
    ('admin', 'task.manage'), ('admin', 'content.moderate'), ('admin', 'newsletter.manage');

-- A job an admin set aside: done, never run again (its dedupe key stays
-- taken, so the same e-mail is not queued anew), its error kept.
ALTER TABLE background_jobs ADD COLUMN discarded_at TIMESTAMPTZ;

-- Withdrawn by moderation: out of public view, and its owner cannot
-- publish it again; the reason was e-mailed to them.
ALTER TABLE job_offers
    ADD COLUMN withdrawn_at       TIMESTAMPTZ,
    ADD COLUMN withdrawal_reason  TEXT NOT NULL DEFAULT '' CHECK (length(withdrawal_reason) <= 500);
ALTER TABLE trainings
    ADD COLUMN withdrawn_at       TIMESTAMPTZ,
    ADD COLUMN withdrawal_reason  TEXT NOT NULL DEFAULT '' CHECK (length(withdrawal_reason) <= 500);
ALTER TABLE articles
    ADD COLUMN withdrawn_at       TIMESTAMPTZ,
    ADD COLUMN withdrawal_reason  TEXT NOT NULL DEFAULT '' CHECK (length(withdrawal_reason) <= 500);
-- Nothing withdrawn is public, whatever a later write tries.
ALTER TABLE job_offers ADD CONSTRAINT job_offers_withdrawn_not_public
    CHECK (withdrawn_at IS NULL OR status IN ('draft', 'archived'));
ALTER TABLE trainings ADD CONSTRAINT trainings_withdrawn_not_public
    CHECK (withdrawn_at IS NULL OR status IN ('draft', 'archived'));
ALTER TABLE articles ADD CONSTRAINT articles_withdrawn_not_public
    CHECK (withdrawn_at IS NULL OR status IN ('draft', 'archived'));

-- The lists of every offer, training and article, newest first.
CREATE INDEX job_offers_created ON job_offers (created_at DESC, id DESC);
CREATE INDEX trainings_created ON trainings (created_at DESC, id DESC);

-- A newsletter issue; each confirmed subscriber gets it through one
-- background job (dedupe key `newsletter:{issue}:{subscriber}`), with an
-- unsubscribe link of their own.
CREATE TABLE newsletter_issues (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     TEXT NOT NULL CHECK (length(subject) BETWEEN 5 AND 150),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 20 AND 20000),
    sent_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recipients  INT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- An issue's delivery counts read its jobs.
CREATE INDEX background_jobs_newsletter ON background_jobs (((payload ->> 'issue')::bigint))
    WHERE kind = 'newsletter';
