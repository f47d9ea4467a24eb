-- The public pages cached whole (server::page_cache) read the blog too: it
-- gets a version of its own. And the version bump moves to commit time. Bumped in the middle of a writer's
-- transaction, the version row stayed locked until its commit and could
-- close a lock-order cycle with rows a concurrent writer holds; deferred, it
-- is the last lock a writer takes, and taken once per transaction and scope
-- however many rows changed.
ALTER TABLE search_versions DROP CONSTRAINT search_versions_scope_check;
ALTER TABLE search_versions ADD CONSTRAINT search_versions_scope_check
    CHECK (scope IN ('offers', 'trainings', 'blog'));
INSERT INTO search_versions (scope) VALUES ('blog');

DROP TRIGGER job_search_changed ON job_search;
DROP TRIGGER training_search_changed ON training_search;
DROP TRIGGER organisations_changed ON organisations;

CREATE OR REPLACE FUNCTION bump_search_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT;
BEGIN
    FOREACH changed IN ARRAY TG_ARGV LOOP
        IF current_setting('passerelle.bumped_' || changed, true) IS DISTINCT FROM 'yes' THEN
            UPDATE search_versions SET version = version + 1 WHERE scope = changed;
            PERFORM set_config('passerelle.bumped_' || changed, 'yes', true);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER job_search_changed
    AFTER INSERT OR UPDATE OR DELETE ON job_search
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('offers');
CREATE CONSTRAINT TRIGGER training_search_changed
    AFTER INSERT OR UPDATE OR DELETE ON training_search
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('trainings');
-- Result cards carry the organisation's name and logo.
CREATE CONSTRAINT TRIGGER organisations_changed
    AFTER UPDATE OR DELETE ON organisations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('offers', 'trainings');
-- Centre and company pages list their places.
CREATE CONSTRAINT TRIGGER organisation_places_changed
    AFTER INSERT OR UPDATE OR DELETE ON organisation_places
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('offers', 'trainings');

CREATE CONSTRAINT TRIGGER articles_changed
    AFTER INSERT OR UPDATE OR DELETE ON articles
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('blog');
CREATE CONSTRAINT TRIGGER article_tags_changed
    AFTER INSERT OR UPDATE OR DELETE ON article_tags
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('blog');
CREATE CONSTRAINT TRIGGER blog_categories_changed
    AFTER INSERT OR UPDATE OR DELETE ON blog_categories
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('blog');
CREATE CONSTRAINT TRIGGER blog_tags_changed
    AFTER INSERT OR UPDATE OR DELETE ON blog_tags
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('blog');

-- A scheduled article appears when its time comes, with no write.
CREATE INDEX articles_scheduled ON articles (published_at) WHERE status = 'scheduled';
