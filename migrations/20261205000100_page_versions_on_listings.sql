-- The cached public pages (server::page_cache) also show listings that are
-- not in the searches: a filled or expired offer, an archived offer or
-- training (410 with its title), a training's sessions. A change to those
-- rows bumps their scope too, so no cached page outlives it. Once per
-- transaction and scope, at commit (see bump_search_version): these tables
-- see no high-rate writes.
CREATE CONSTRAINT TRIGGER job_offers_changed AFTER UPDATE OR DELETE ON job_offers
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('offers');
CREATE CONSTRAINT TRIGGER trainings_changed AFTER UPDATE OR DELETE ON trainings
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('trainings');
CREATE CONSTRAINT TRIGGER training_sessions_changed AFTER INSERT OR UPDATE OR DELETE ON training_sessions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_search_version('trainings');
