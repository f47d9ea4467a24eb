-- Offers are ranked on a small vector of their title (A) and skills (B)
-- instead of the whole document: ranking read the description of every hit
-- (a fifth of a search's time at 100,000 offers), and a long description is
-- stored out of line, which would make it a TOAST fetch per hit. Matching
-- still reads the whole document through its index.
ALTER TABLE job_search ADD COLUMN rank_document TSVECTOR;

-- Many offers in one statement (the seed's batches); one offer goes through
-- the same code.
CREATE FUNCTION refresh_job_searches(offers BIGINT[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM job_search WHERE offer_id = ANY (offers);
    INSERT INTO job_search (offer_id, company_id, contract, remote, working_time, experience,
                            salary_year_min, commune_code, departement, region, published_at,
                            expires_at, document, rank_document, title_key)
    SELECT j.id, j.company_id, j.contract, j.remote, j.working_time, j.experience,
           yearly_salary(j.salary_min, j.salary_unit),
           j.commune_code, c.departement_code, c.region_code, j.published_at, j.expires_at,
           head.vector || setweight(to_tsvector('french_unaccent', o.name || ' ' || j.description_markdown), 'C'),
           head.vector,
           immutable_unaccent(lower(j.title))
    FROM job_offers j
    JOIN organisations o ON o.id = j.company_id AND o.status = 'approved'
    LEFT JOIN communes c ON c.code = j.commune_code
    CROSS JOIN LATERAL (
        SELECT setweight(to_tsvector('french_unaccent', j.title), 'A') ||
               setweight(to_tsvector('french_unaccent', coalesce(string_agg(s.name, ' '), '')), 'B') AS vector
        FROM job_skills js JOIN skills s ON s.id = js.skill_id
        WHERE js.offer_id = j.id
    ) head
    WHERE j.id = ANY (offers) AND j.status = 'published' AND j.expires_at > now();
$$;

CREATE OR REPLACE FUNCTION refresh_job_search(offer BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT refresh_job_searches(ARRAY[offer]);
$$;

SELECT refresh_job_searches(array_agg(offer_id)) FROM job_search;
ALTER TABLE job_search ALTER COLUMN rank_document SET NOT NULL;
