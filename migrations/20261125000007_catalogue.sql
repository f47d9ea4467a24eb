-- The training catalogue: communes, skills, centre profiles, trainings with
-- their places and sessions, enrolment requests and saved trainings.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

-- unaccent() is only STABLE (its dictionary could change); this wrapper names
-- the dictionary so it can be IMMUTABLE and feed indexes and generated columns.
CREATE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);

-- French stemming that ignores accents: "developpeur" finds "Développeur".
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- "L'été à Besançon" -> "l-ete-a-besancon".
CREATE FUNCTION slugify_fr(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN left(trim(BOTH '-' FROM regexp_replace(
        lower(immutable_unaccent(replace(replace(replace($1, '&', ' et '), 'œ', 'oe'), 'æ', 'ae'))),
        '[^a-z0-9]+', '-', 'g')), 80);

-- Great-circle distance in metres on earthdistance's sphere, in plain
-- arithmetic: ten times faster per row than earth_distance(ll_to_earth(…)).
CREATE FUNCTION distance_m(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN 2 * 6378168 * asin(sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
        + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2));

-- Every French commune (imported by `passerelle import-communes`).
CREATE TABLE communes (
    code              TEXT PRIMARY KEY,              -- INSEE code
    name              TEXT NOT NULL,
    postal_codes      TEXT[] NOT NULL,
    departement_code  TEXT NOT NULL,
    departement_name  TEXT NOT NULL,
    region_code       TEXT NOT NULL,
    region_name       TEXT NOT NULL,
    population        INT NOT NULL DEFAULT 0,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    search_name       TEXT GENERATED ALWAYS AS (immutable_unaccent(lower(name))) STORED
);
CREATE INDEX communes_name_trgm ON communes USING gin (search_name gin_trgm_ops);
CREATE INDEX communes_name_prefix ON communes (search_name text_pattern_ops);
CREATE INDEX communes_postal ON communes USING gin (postal_codes);
CREATE INDEX communes_earth ON communes USING gist (ll_to_earth(latitude, longitude));
CREATE INDEX communes_departement ON communes (departement_code);

-- One shared list of skills: trainings teach them, job offers ask for them.
CREATE TABLE skills (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL UNIQUE
);
INSERT INTO skills (slug, name)
SELECT slugify_fr(name), name FROM unnest(ARRAY[
    'Accueil du public', 'Anglais professionnel', 'Animation d''équipe', 'Assistance de direction',
    'Bureautique', 'Comptabilité', 'Contrôle de gestion', 'Paie', 'Gestion administrative',
    'Relation client', 'Vente', 'Négociation commerciale', 'Marketing digital', 'Community management',
    'Référencement web (SEO)', 'Développement web', 'JavaScript', 'Python', 'Java', 'Rust',
    'Bases de données SQL', 'Administration systèmes Linux', 'Réseaux informatiques', 'Cybersécurité',
    'Cloud et DevOps', 'Analyse de données', 'Intelligence artificielle', 'Support informatique',
    'Conception graphique', 'UX design', 'Gestion de projet', 'Méthodes agiles',
    'Logistique', 'Conduite de chariots élévateurs (CACES)', 'Gestion des stocks', 'Transport routier',
    'Soudure', 'Usinage', 'Maintenance industrielle', 'Électricité', 'Habilitation électrique',
    'Automatisme', 'Plomberie', 'Chauffage et climatisation', 'Maçonnerie', 'Menuiserie',
    'Peinture en bâtiment', 'Lecture de plans', 'Énergies renouvelables', 'Rénovation énergétique',
    'Soins infirmiers', 'Aide à la personne', 'Petite enfance', 'Hygiène et sécurité alimentaire',
    'Cuisine', 'Service en salle', 'Pâtisserie', 'Boulangerie', 'Hôtellerie', 'Tourisme',
    'Sauveteur secouriste du travail', 'Prévention des risques', 'Qualité', 'Ressources humaines',
    'Recrutement', 'Formation de formateurs', 'Droit du travail', 'Immobilier', 'Banque et assurance',
    'Agriculture', 'Viticulture', 'Espaces verts', 'Esthétique', 'Coiffure', 'Mécanique automobile',
    'Carrosserie', 'Sécurité privée', 'Langue des signes française', 'Français langue étrangère'
]) AS s (name);

-- Centre and company profiles live on the organisation row.
ALTER TABLE organisations
    ADD COLUMN slug          TEXT UNIQUE,
    ADD COLUMN description   TEXT NOT NULL DEFAULT '',
    ADD COLUMN website       TEXT NOT NULL DEFAULT '',
    ADD COLUMN contact_email TEXT NOT NULL DEFAULT '',
    ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '',
    ADD COLUMN address       TEXT NOT NULL DEFAULT '',
    ADD COLUMN commune_code  TEXT REFERENCES communes (code),
    ADD COLUMN logo_media_id BIGINT REFERENCES media (id) ON DELETE SET NULL,
    -- Numéro de déclaration d'activité (11 digits), centres only.
    ADD COLUMN nda           TEXT NOT NULL DEFAULT '',
    ADD COLUMN qualiopi      BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN updated_at    TIMESTAMPTZ NOT NULL DEFAULT now();

-- A readable, unique slug for every organisation, given at insert time.
CREATE FUNCTION organisations_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.slug IS NULL OR NEW.slug = '' THEN
        NEW.slug := slugify_fr(NEW.name);
        IF NEW.slug = '' OR EXISTS (SELECT 1 FROM organisations WHERE slug = NEW.slug) THEN
            NEW.slug := NEW.slug || '-' || NEW.id;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER organisations_slug BEFORE INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisations_slug();
UPDATE organisations SET slug = slugify_fr(name) || '-' || id WHERE slug IS NULL;
ALTER TABLE organisations ALTER COLUMN slug SET NOT NULL;

CREATE TABLE trainings (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id             BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 160),
    summary               TEXT NOT NULL CHECK (length(summary) <= 300),
    description_markdown  TEXT NOT NULL DEFAULT '',
    -- Rendered and sanitised when saved.
    description_html      TEXT NOT NULL DEFAULT '',
    objectives            TEXT NOT NULL DEFAULT '',
    prerequisites         TEXT NOT NULL DEFAULT '',
    certification_kind    TEXT NOT NULL DEFAULT 'none' CHECK (certification_kind IN ('none', 'rncp', 'rs')),
    certification_code    TEXT NOT NULL DEFAULT '',
    certification_level   SMALLINT CHECK (certification_level BETWEEN 3 AND 8),
    cpf_eligible          BOOLEAN NOT NULL DEFAULT false,
    modality              TEXT NOT NULL CHECK (modality IN ('presentiel', 'distanciel', 'hybride')),
    duration_hours        INT NOT NULL CHECK (duration_hours BETWEEN 1 AND 5000),
    -- 0 = free.
    price_cents           INT NOT NULL CHECK (price_cents >= 0),
    funding               TEXT[] NOT NULL DEFAULT '{}',
    rolling_entry         BOOLEAN NOT NULL DEFAULT false,
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    published_at          TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    view_count            BIGINT NOT NULL DEFAULT 0,
    duration_band         TEXT GENERATED ALWAYS AS (CASE
                              WHEN duration_hours < 35 THEN 'moins-35h'
                              WHEN duration_hours < 150 THEN '35-150h'
                              WHEN duration_hours < 400 THEN '150-400h'
                              WHEN duration_hours < 1000 THEN '400-1000h'
                              ELSE 'plus-1000h' END) STORED,
    price_band            TEXT GENERATED ALWAYS AS (CASE
                              WHEN price_cents = 0 THEN 'gratuit'
                              WHEN price_cents < 100000 THEN 'moins-1000'
                              WHEN price_cents < 300000 THEN '1000-3000'
                              WHEN price_cents < 600000 THEN '3000-6000'
                              ELSE 'plus-6000' END) STORED,
    CHECK (certification_kind = 'none' OR certification_code <> ''),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX trainings_centre ON trainings (centre_id, updated_at DESC);
CREATE INDEX trainings_published ON trainings (published_at DESC) WHERE status = 'published';

CREATE FUNCTION trainings_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.slug IS NULL OR NEW.slug = '' THEN
        NEW.slug := slugify_fr(NEW.title);
        IF NEW.slug = '' OR EXISTS (SELECT 1 FROM trainings WHERE slug = NEW.slug) THEN
            NEW.slug := NEW.slug || '-' || NEW.id;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER trainings_slug BEFORE INSERT ON trainings
    FOR EACH ROW EXECUTE FUNCTION trainings_slug();

CREATE TABLE training_skills (
    training_id  BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    skill_id     BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (training_id, skill_id)
);
CREATE INDEX training_skills_skill ON training_skills (skill_id);

CREATE TABLE training_places (
    training_id   BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    commune_code  TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (training_id, commune_code)
);
CREATE INDEX training_places_commune ON training_places (commune_code);

CREATE TABLE training_sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    training_id  BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    starts_on    DATE NOT NULL,
    ends_on      DATE NOT NULL,
    seats        INT NOT NULL CHECK (seats BETWEEN 1 AND 1000),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX training_sessions_training ON training_sessions (training_id, starts_on);

-- The search reads one narrow row per public training (published, centre
-- approved) instead of the wide trainings rows with their texts: filters,
-- facet values, session start dates, départements and régions are copied
-- here by refresh_training_search(), which every write calls.
CREATE TABLE training_search (
    training_id          BIGINT PRIMARY KEY REFERENCES trainings (id) ON DELETE CASCADE,
    modality             TEXT NOT NULL,
    cpf_eligible         BOOLEAN NOT NULL,
    certification_level  SMALLINT,
    duration_band        TEXT NOT NULL,
    price_band           TEXT NOT NULL,
    price_cents          INT NOT NULL,
    rolling_entry        BOOLEAN NOT NULL,
    published_at         TIMESTAMPTZ NOT NULL,
    -- Every session's start, in order, and the first one still to come when
    -- last refreshed (the search recomputes it only once that date has passed).
    session_starts       DATE[] NOT NULL,
    next_start           DATE,
    departements         TEXT[] NOT NULL,
    regions              TEXT[] NOT NULL,
    -- Weighted: title (A) > skills (B) > summary, objectives, description (C).
    document             TSVECTOR NOT NULL,
    -- Unaccented lower-case title, for typo tolerance (trigrams).
    title_key            TEXT NOT NULL
);
CREATE INDEX training_search_document ON training_search USING gin (document);
CREATE INDEX training_search_title ON training_search USING gin (title_key gin_trgm_ops);
-- Départements and their régions, for facet labels; refreshed by the communes import.
CREATE MATERIALIZED VIEW departements AS
SELECT DISTINCT ON (departement_code) departement_code AS code, departement_name AS name, region_code, region_name
FROM communes ORDER BY departement_code;
CREATE UNIQUE INDEX departements_code ON departements (code);

CREATE FUNCTION refresh_training_search(training BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM training_search WHERE training_id = training;
    INSERT INTO training_search
    SELECT t.id, t.modality, t.cpf_eligible, t.certification_level, t.duration_band, t.price_band,
           t.price_cents, t.rolling_entry, t.published_at,
           ARRAY(SELECT s.starts_on FROM training_sessions s WHERE s.training_id = t.id ORDER BY s.starts_on),
           (SELECT min(s.starts_on) FROM training_sessions s WHERE s.training_id = t.id AND s.starts_on >= current_date),
           ARRAY(SELECT DISTINCT c.departement_code FROM training_places tp JOIN communes c ON c.code = tp.commune_code
                 WHERE tp.training_id = t.id),
           ARRAY(SELECT DISTINCT c.region_code FROM training_places tp JOIN communes c ON c.code = tp.commune_code
                 WHERE tp.training_id = t.id),
           setweight(to_tsvector('french_unaccent', t.title), 'A') ||
           setweight(to_tsvector('french_unaccent', coalesce((
               SELECT string_agg(s.name, ' ') FROM training_skills ts JOIN skills s ON s.id = ts.skill_id
               WHERE ts.training_id = t.id), '')), 'B') ||
           setweight(to_tsvector('french_unaccent',
               t.summary || ' ' || t.objectives || ' ' || t.description_markdown), 'C'),
           immutable_unaccent(lower(t.title))
    FROM trainings t JOIN organisations o ON o.id = t.centre_id AND o.status = 'approved'
    WHERE t.id = training AND t.status = 'published';
$$;

-- What the public sees: published trainings of approved centres, with the
-- band of their next start ("permanente" for rolling entry).
CREATE VIEW public_trainings AS
SELECT t.*, o.name AS centre_name, o.slug AS centre_slug, o.qualiopi AS centre_qualiopi,
       ns.next_start,
       CASE WHEN t.rolling_entry THEN 'permanente'
            WHEN ns.next_start IS NULL THEN NULL
            WHEN ns.next_start <= current_date + 30 THEN '30-jours'
            WHEN ns.next_start <= current_date + 90 THEN '3-mois'
            WHEN ns.next_start <= current_date + 180 THEN '6-mois'
            ELSE 'plus-tard' END AS start_band
FROM trainings t
JOIN organisations o ON o.id = t.centre_id AND o.status = 'approved'
LEFT JOIN LATERAL (
    SELECT min(s.starts_on) AS next_start FROM training_sessions s
    WHERE s.training_id = t.id AND s.starts_on >= current_date
) ns ON true
WHERE t.status = 'published';

CREATE TABLE enrolment_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    training_id     BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    -- NULL: rolling entry, no session chosen.
    session_id      BIGINT REFERENCES training_sessions (id) ON DELETE SET NULL,
    candidate_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_review', 'accepted', 'refused', 'withdrawn')),
    message         TEXT NOT NULL DEFAULT '',
    refusal_reason  TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'refused' OR refusal_reason <> '')
);
-- One live request per candidate and session (or per rolling-entry training).
CREATE UNIQUE INDEX enrolment_requests_live ON enrolment_requests (candidate_id, training_id, session_id)
    NULLS NOT DISTINCT WHERE status IN ('new', 'in_review', 'accepted');
CREATE INDEX enrolment_requests_training ON enrolment_requests (training_id, status);
CREATE INDEX enrolment_requests_candidate ON enrolment_requests (candidate_id, created_at DESC);

CREATE TABLE enrolment_messages (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   BIGINT NOT NULL REFERENCES enrolment_requests (id) ON DELETE CASCADE,
    author_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_centre  BOOLEAN NOT NULL,
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX enrolment_messages_request ON enrolment_messages (request_id, created_at);

CREATE TABLE saved_trainings (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    training_id  BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, training_id)
);
