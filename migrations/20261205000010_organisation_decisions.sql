-- An admin who refuses an organisation says why: its members read the
-- reason by e-mail and on their dashboard, correct their profile and save
-- it, which sends the organisation back to the queue. The reason of the
-- last refusal stays for the admin who reviews it again.
ALTER TABLE organisations
    ADD COLUMN rejection_reason TEXT NOT NULL DEFAULT ''
        CHECK (length(rejection_reason) <= 1000);

-- The security journal's page: newest first, narrowed by kind of event
-- and by dates.
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_event ON audit_log (event, at DESC, id DESC);
