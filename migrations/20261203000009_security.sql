-- Security review (issue 12): unsubscribe links stored hashed, newsletter
-- double opt-in, renames of approved organisations held for review, and the
-- indexes the worker's clean-up uses.

-- One row per link sent (a digest, a newsletter confirmation): only the
-- SHA-256 of the token is kept, as for every other token.
CREATE TABLE unsubscribe_tokens (
    token_hash       BYTEA PRIMARY KEY,
    saved_search_id  BIGINT REFERENCES saved_searches (id) ON DELETE CASCADE,
    subscriber_id    BIGINT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(saved_search_id, subscriber_id) = 1)
);
CREATE INDEX unsubscribe_tokens_created ON unsubscribe_tokens (created_at);

-- Links already sent keep working: their tokens are hashed where they are.
INSERT INTO unsubscribe_tokens (token_hash, saved_search_id)
SELECT sha256(convert_to(unsubscribe_token, 'UTF8')), id FROM saved_searches;
ALTER TABLE saved_searches DROP COLUMN unsubscribe_token;

-- Double opt-in: an address receives the newsletter once its owner clicked
-- the confirmation link. Addresses from before are taken as confirmed.
ALTER TABLE newsletter_subscribers
    ADD COLUMN confirmed_at        TIMESTAMPTZ,
    ADD COLUMN confirm_token_hash  BYTEA UNIQUE,
    ADD COLUMN confirm_sent_at     TIMESTAMPTZ;
UPDATE newsletter_subscribers SET confirmed_at = created_at;
ALTER TABLE unsubscribe_tokens
    ADD CONSTRAINT unsubscribe_tokens_subscriber
    FOREIGN KEY (subscriber_id) REFERENCES newsletter_subscribers (id) ON DELETE CASCADE;
CREATE INDEX newsletter_unconfirmed ON newsletter_subscribers (created_at) WHERE confirmed_at IS NULL;

-- A new name for an approved organisation waits here for an admin; pages
-- keep showing the approved one meanwhile.
ALTER TABLE organisations
    ADD COLUMN pending_name TEXT CHECK (length(pending_name) BETWEEN 2 AND 160);
CREATE INDEX organisations_pending_name ON organisations (id) WHERE pending_name IS NOT NULL;

-- The worker forgets sessions long ended or idle, and old failures.
CREATE INDEX user_sessions_last_seen ON user_sessions (last_seen_at);
CREATE INDEX auth_failures_at ON auth_failures (at);
