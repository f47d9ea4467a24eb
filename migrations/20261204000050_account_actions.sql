-- Back office actions on accounts: suspension, and the second-factor
-- confirmation (step-up) that destructive actions ask for.

-- A suspended account cannot sign in and its sessions are ended; the reason
-- stays for the admins (and in the audit journal).
ALTER TABLE users
    ADD COLUMN suspended_at       TIMESTAMPTZ,
    ADD COLUMN suspension_reason  TEXT NOT NULL DEFAULT ''
        CHECK (length(suspension_reason) <= 500);
CREATE INDEX users_suspended ON users (suspended_at) WHERE suspended_at IS NOT NULL;

-- When this session last confirmed a second-factor code for a sensitive
-- action: one code covers the next 10 minutes of that session only.
ALTER TABLE user_sessions ADD COLUMN stepped_up_at TIMESTAMPTZ;
