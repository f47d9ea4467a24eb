-- Applications get what enrolment requests already have, a message thread
-- both ways, and interviews: a recruiter proposes a slot, the candidate
-- accepts it or asks for another one.

CREATE TABLE application_messages (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_company    BOOLEAN NOT NULL,
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX application_messages_application ON application_messages (application_id, created_at);

CREATE TABLE interviews (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    proposed_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    starts_at       TIMESTAMPTZ NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 480),
    mode            TEXT NOT NULL CHECK (mode IN ('on_site', 'video', 'phone')),
    -- The address, the video link or the phone number, as the mode says.
    place           TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 300),
    -- Who the candidate asks for, and how to reach them.
    contact         TEXT NOT NULL CHECK (length(contact) BETWEEN 1 AND 300),
    -- proposed → accepted, or declined (the candidate asks for another
    -- slot), or replaced by a newer proposal; cancelled when the application
    -- ends (declined, hired, withdrawn) before the slot.
    status          TEXT NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'accepted', 'declined', 'replaced', 'cancelled')),
    -- What the candidate wrote when asking for another slot.
    answer          TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 1000),
    -- Bumped at each change, so calendars update the event they hold.
    sequence        INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One slot at a time per application: a new proposal replaces the current one.
CREATE UNIQUE INDEX interviews_current ON interviews (application_id)
    WHERE status IN ('proposed', 'accepted');
CREATE INDEX interviews_application ON interviews (application_id, created_at DESC);
