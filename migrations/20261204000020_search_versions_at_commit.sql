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

-- Each table the public pages read, with the events that change them and
-- the scopes it bumps. Organisations bump on update only: a new one is not
-- public until approved. Result cards carry the organisation's name and
-- logo; centre and company pages list their places; the blog reads its
-- articles, tags and categories.
DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('job_search',          'INSERT OR UPDATE OR DELETE', '''offers'''),
        ('training_search',     'INSERT OR UPDATE OR DELETE', '''trainings'''),
        ('organisations',       'UPDATE OR DELETE',           '''offers'', ''trainings'''),
        ('organisation_places', 'INSERT OR UPDATE OR DELETE', '''offers'', ''trainings'''),
        ('articles',            'INSERT OR UPDATE OR DELETE', '''blog'''),
        ('article_tags',        'INSERT OR UPDATE OR DELETE', '''blog'''),
        ('blog_categories',     'INSERT OR UPDATE OR DELETE', '''blog'''),
        ('blog_tags',           'INSERT OR UPDATE OR DELETE', '''blog''')
    ) AS v (tbl, events, scopes) LOOP
        EXECUTE format(
            'CREATE CONSTRAINT TRIGGER %I AFTER %s ON %I DEFERRABLE INITIALLY DEFERRED
             FOR EACH ROW EXECUTE FUNCTION bump_search_version(%s)',
            t.tbl || '_changed', t.events, t.tbl, t.scopes);
    END LOOP;
END
$$;

-- A scheduled article appears when its time comes, with no write.
CREATE INDEX articles_scheduled ON articles (published_at) WHERE status = 'scheduled';
