-- Back office on organisations: admins list them all, suspend and
-- reactivate one, and edit its public profile.

-- A suspended organisation is out of every public page at once (they all
-- read `status = 'approved'`), and its members keep their dashboards.
ALTER TABLE organisations DROP CONSTRAINT organisations_status_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'suspended'));
ALTER TABLE organisations
    ADD COLUMN suspended_at       TIMESTAMPTZ,
    ADD COLUMN suspension_reason  TEXT NOT NULL DEFAULT ''
        CHECK (length(suspension_reason) <= 500);

INSERT INTO permissions (name, description) VALUES
    ('organisation.manage', 'Suspendre, réactiver et modifier une organisation');
INSERT INTO role_permissions (role, permission) VALUES ('admin', 'organisation.manage');

-- An organisation's page lists its journal: the events that name it.
CREATE INDEX audit_log_organisation ON audit_log ((detail -> 'organisation'), at DESC)
    WHERE detail ? 'organisation';
-- The list of every organisation, newest first.
CREATE INDEX organisations_created ON organisations (created_at DESC, id DESC);
