-- The public searches cache their result pages per version (app::ui::search::cache).
-- Every statement that changes what a search reads bumps its scope's version
-- within its own transaction, so no cached page outlives such a write.
CREATE TABLE search_versions (
    scope   TEXT PRIMARY KEY CHECK (scope IN ('offers', 'trainings')),
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO search_versions (scope) VALUES ('offers'), ('trainings');

CREATE FUNCTION bump_search_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE scope = ANY (TG_ARGV);
    RETURN NULL;
END
$$;

-- Offers and trainings reach the searches through their search rows, which
-- every write of theirs refreshes in the same transaction.
CREATE TRIGGER job_search_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON job_search
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_version('offers');
CREATE TRIGGER training_search_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON training_search
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_version('trainings');
-- Result cards carry the organisation's name and logo.
CREATE TRIGGER organisations_changed
    AFTER UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_version('offers', 'trainings');

-- The next expiry, read with every cached search.
CREATE INDEX job_search_expires ON job_search (expires_at);
