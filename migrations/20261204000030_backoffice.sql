-- The back office's home (`/admin`): its figures and queues, for admins.
INSERT INTO permissions (name, description) VALUES
    ('backoffice.read', 'Consulter le tableau de bord de l''administration');
INSERT INTO role_permissions (role, permission) VALUES ('admin', 'backoffice.read');

-- The queue of background jobs that failed (retrying or given up), counted
-- and listed without a scan of every job ever run.
CREATE INDEX background_jobs_failed ON background_jobs (run_at) WHERE last_error IS NOT NULL;
-- Sign-ups, applications and enrolment requests per period.
CREATE INDEX users_created ON users (created_at);
CREATE INDEX applications_created ON applications (created_at);
CREATE INDEX enrolment_requests_created ON enrolment_requests (created_at);
