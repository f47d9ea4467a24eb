-- Job board: company profiles, job offers and their search row, candidate
-- profiles, applications, saved offers and searches, reports, and the
-- background job queue that carries alerts and reminders.

-- Company profile columns (centres use the others already on the row).
ALTER TABLE organisations
    ADD COLUMN sector     TEXT NOT NULL DEFAULT '' CHECK (length(sector) <= 80),
    ADD COLUMN size_band  TEXT NOT NULL DEFAULT ''
        CHECK (size_band IN ('', '1-9', '10-49', '50-249', '250-999', '1000-plus'));

-- A company's sites (besides its head office, `organisations.commune_code`).
CREATE TABLE organisation_places (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    commune_code     TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (organisation_id, commune_code)
);

CREATE TABLE job_offers (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id            BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 160),
    description_markdown  TEXT NOT NULL DEFAULT '',
    -- Rendered and sanitised when saved.
    description_html      TEXT NOT NULL DEFAULT '',
    contract              TEXT NOT NULL
        CHECK (contract IN ('cdi', 'cdd', 'interim', 'saisonnier', 'alternance', 'stage', 'freelance')),
    working_time          TEXT NOT NULL DEFAULT 'temps-plein' CHECK (working_time IN ('temps-plein', 'temps-partiel')),
    remote                TEXT NOT NULL CHECK (remote IN ('presentiel', 'hybride', 'teletravail')),
    -- Euros per unit; NULL unit = no salary shown.
    salary_min            INT CHECK (salary_min > 0),
    salary_max            INT,
    salary_unit           TEXT CHECK (salary_unit IN ('heure', 'mois', 'annee')),
    experience            TEXT NOT NULL DEFAULT 'debutant' CHECK (experience IN ('debutant', '1-2', '3-5', '5-plus')),
    -- Diploma level asked (3 = CAP … 8 = doctorat); NULL = none required.
    diploma_level         SMALLINT CHECK (diploma_level BETWEEN 3 AND 8),
    -- NULL only for fully remote offers.
    commune_code          TEXT REFERENCES communes (code),
    start_date            DATE,
    openings              INT NOT NULL DEFAULT 1 CHECK (openings BETWEEN 1 AND 500),
    apply_channel         TEXT NOT NULL DEFAULT 'platform' CHECK (apply_channel IN ('platform', 'url', 'email')),
    apply_url             TEXT NOT NULL DEFAULT '',
    apply_email           TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'published', 'expired', 'filled', 'archived')),
    published_at          TIMESTAMPTZ,
    expires_at            TIMESTAMPTZ NOT NULL DEFAULT now() + interval '60 days',
    -- How long the offer stays live once published, chosen on its form.
    expiry_days           SMALLINT NOT NULL DEFAULT 60 CHECK (expiry_days BETWEEN 1 AND 90),
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    view_count            BIGINT NOT NULL DEFAULT 0,
    CHECK (salary_unit IS NULL OR salary_min IS NOT NULL),
    CHECK (salary_max IS NULL OR salary_max >= salary_min),
    CHECK (commune_code IS NOT NULL OR remote = 'teletravail'),
    CHECK (apply_channel <> 'url' OR apply_url <> ''),
    CHECK (apply_channel <> 'email' OR apply_email <> ''),
    -- A draft archived before it was ever published has no publication date.
    CHECK (status IN ('draft', 'archived') OR published_at IS NOT NULL)
);
CREATE INDEX job_offers_company ON job_offers (company_id, updated_at DESC);
-- The worker's expiry sweep and reminders.
CREATE INDEX job_offers_live_expiry ON job_offers (expires_at) WHERE status = 'published';

CREATE FUNCTION job_offers_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.slug IS NULL OR NEW.slug = '' THEN
        NEW.slug := slugify_fr(NEW.title);
        IF NEW.slug = '' OR EXISTS (SELECT 1 FROM job_offers WHERE slug = NEW.slug) THEN
            NEW.slug := NEW.slug || '-' || NEW.id;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER job_offers_slug BEFORE INSERT ON job_offers
    FOR EACH ROW EXECUTE FUNCTION job_offers_slug();

-- Required skills, from the list trainings use.
CREATE TABLE job_skills (
    offer_id  BIGINT NOT NULL REFERENCES job_offers (id) ON DELETE CASCADE,
    skill_id  BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (offer_id, skill_id)
);
-- The bridge: live offers asking for a training's skills.
CREATE INDEX job_skills_skill ON job_skills (skill_id, offer_id);

-- One narrow row per live offer (published, not past its expiry, company
-- approved), kept by refresh_job_search(); the search reads only this.
CREATE TABLE job_search (
    offer_id         BIGINT PRIMARY KEY REFERENCES job_offers (id) ON DELETE CASCADE,
    company_id       BIGINT NOT NULL,
    contract         TEXT NOT NULL,
    remote           TEXT NOT NULL,
    working_time     TEXT NOT NULL,
    experience       TEXT NOT NULL,
    -- Lower end of the salary as a yearly gross amount in euros (NULL: not shown).
    salary_year_min  INT,
    commune_code     TEXT,
    departement      TEXT,
    region           TEXT,
    published_at     TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    -- Weighted: title (A) > skills (B) > company and description (C).
    document         TSVECTOR NOT NULL,
    title_key        TEXT NOT NULL
);
CREATE INDEX job_search_document ON job_search USING gin (document);
CREATE INDEX job_search_title ON job_search USING gin (title_key gin_trgm_ops);
CREATE INDEX job_search_commune ON job_search (commune_code);
CREATE INDEX job_search_published ON job_search (published_at DESC);
CREATE INDEX job_search_company ON job_search (company_id);
-- The bridge from a training checks thousands of offers for liveness: an
-- index-only scan instead of a heap fetch each.
CREATE INDEX job_search_live ON job_search (offer_id) INCLUDE (published_at, expires_at);

-- Yearly gross salary in euros from an amount and its unit (1,607 h a year),
-- computed wide and capped so no typed amount can overflow.
CREATE FUNCTION yearly_salary(amount INT, unit TEXT) RETURNS INT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE unit WHEN 'heure' THEN least(amount::bigint * 1607, 2147483647)::int
                     WHEN 'mois' THEN least(amount::bigint * 12, 2147483647)::int
                     WHEN 'annee' THEN amount END;
$$;

CREATE FUNCTION refresh_job_search(offer BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM job_search WHERE offer_id = offer;
    INSERT INTO job_search
    SELECT j.id, j.company_id, j.contract, j.remote, j.working_time, j.experience,
           yearly_salary(j.salary_min, j.salary_unit),
           j.commune_code, c.departement_code, c.region_code, j.published_at, j.expires_at,
           setweight(to_tsvector('french_unaccent', j.title), 'A') ||
           setweight(to_tsvector('french_unaccent', coalesce((
               SELECT string_agg(s.name, ' ') FROM job_skills js JOIN skills s ON s.id = js.skill_id
               WHERE js.offer_id = j.id), '')), 'B') ||
           setweight(to_tsvector('french_unaccent', o.name || ' ' || j.description_markdown), 'C'),
           immutable_unaccent(lower(j.title))
    FROM job_offers j
    JOIN organisations o ON o.id = j.company_id AND o.status = 'approved'
    LEFT JOIN communes c ON c.code = j.commune_code
    WHERE j.id = offer AND j.status = 'published' AND j.expires_at > now();
$$;

-- Offers the public can read: live ones, and expired or filled ones (shown
-- with a banner, noindex). Drafts are nobody's business; archived ones are gone.
CREATE VIEW public_job_offers AS
SELECT j.*, o.name AS company_name, o.slug AS company_slug,
       (j.status = 'published' AND j.expires_at > now()) AS live
FROM job_offers j
JOIN organisations o ON o.id = j.company_id AND o.status = 'approved'
WHERE j.status IN ('published', 'expired', 'filled');

CREATE TABLE saved_offers (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offer_id    BIGINT NOT NULL REFERENCES job_offers (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, offer_id)
);

-- A candidate's profile: what recruiters read with an application.
CREATE TABLE candidate_profiles (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    headline     TEXT NOT NULL DEFAULT '' CHECK (length(headline) <= 160),
    experience   TEXT NOT NULL DEFAULT '' CHECK (length(experience) <= 4000),
    -- A private PDF in the storage layer.
    cv_media_id  BIGINT REFERENCES media (id) ON DELETE SET NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE candidate_skills (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill_id  BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE applications (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id        BIGINT NOT NULL REFERENCES job_offers (id) ON DELETE CASCADE,
    candidate_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'in_review', 'interview', 'hired', 'refused', 'withdrawn')),
    message         TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 4000),
    -- The CV as it was when the candidate applied.
    cv_media_id     BIGINT REFERENCES media (id) ON DELETE SET NULL,
    -- A standard reason, shared with the candidate.
    refusal_reason  TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'refused' OR refusal_reason <> '')
);
-- One application per candidate and offer; withdrawing is final, so nobody
-- can flood a company's inboxes by applying and withdrawing in a loop.
CREATE UNIQUE INDEX applications_live ON applications (candidate_id, offer_id);
CREATE INDEX applications_offer ON applications (offer_id, status);
CREATE INDEX applications_candidate ON applications (candidate_id, created_at DESC);
CREATE INDEX applications_cv ON applications (cv_media_id) WHERE cv_media_id IS NOT NULL;

-- Recruiters' private notes on an application; never shown to the candidate.
CREATE TABLE application_notes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX application_notes_application ON application_notes (application_id, created_at);

-- A search a candidate keeps, with its e-mail alert. `query` is the /offres
-- query string; the digest lists offers published since `last_sent_at`.
CREATE TABLE saved_searches (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label              TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    query              TEXT NOT NULL CHECK (length(query) <= 1000),
    frequency          TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly', 'none')),
    -- One-click unsubscribe without signing in.
    unsubscribe_token  TEXT NOT NULL UNIQUE,
    last_sent_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, created_at DESC);

-- "Signaler cette offre": anyone may report; admins handle the queue.
CREATE TABLE offer_reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id     BIGINT NOT NULL REFERENCES job_offers (id) ON DELETE CASCADE,
    reporter_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('arnaque', 'discrimination', 'inexacte', 'pourvue', 'autre')),
    details      TEXT NOT NULL DEFAULT '' CHECK (length(details) <= 2000),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'actioned')),
    handled_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    handled_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX offer_reports_open ON offer_reports (created_at) WHERE status = 'open';
-- A signed-in reporter keeps one open report per offer.
CREATE UNIQUE INDEX offer_reports_open_once ON offer_reports (offer_id, reporter_id)
    WHERE status = 'open' AND reporter_id IS NOT NULL;

-- Background work (alert digests, expiry reminders), run by the worker in
-- every replica. `dedupe_key` makes enqueuing idempotent (one digest per
-- search and period, one reminder per offer and expiry); workers claim rows
-- with FOR UPDATE SKIP LOCKED, so no two replicas run the same job.
CREATE TABLE background_jobs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     JSONB NOT NULL DEFAULT '{}',
    dedupe_key  TEXT UNIQUE,
    run_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts    INT NOT NULL DEFAULT 0,
    last_error  TEXT,
    done_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX background_jobs_due ON background_jobs (run_at) WHERE done_at IS NULL;

-- An offer as result lists show it (search, company page, bridge, alerts);
-- its column names are the fields of `OfferCard`.
CREATE FUNCTION offer_card(offer BIGINT) RETURNS TABLE (
    id BIGINT, slug TEXT, title TEXT, company_name TEXT, company_slug TEXT, contract TEXT, remote TEXT,
    working_time TEXT, experience TEXT, salary_min INT, salary_max INT, salary_unit TEXT, city TEXT,
    departement_code TEXT, published_on TEXT, excerpt TEXT
) LANGUAGE sql STABLE AS $$
    SELECT j.id, j.slug, j.title, o.name, o.slug, j.contract, j.remote, j.working_time, j.experience,
           j.salary_min, j.salary_max, j.salary_unit, c.name, c.departement_code,
           to_char(coalesce(j.published_at, j.created_at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD'),
           left(j.description_markdown, 400)
    FROM job_offers j
    JOIN organisations o ON o.id = j.company_id
    LEFT JOIN communes c ON c.code = j.commune_code
    WHERE j.id = offer;
$$;
