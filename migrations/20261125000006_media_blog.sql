-- Uploaded files. The bytes live in the storage backend (local disk or S3);
-- this row says who owns them, who may read them and which variants exist.
CREATE TABLE media (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    visibility    TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    content_type  TEXT NOT NULL,
    original_name TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the uploaded bytes: names public files and deduplicates them.
    sha256        TEXT NOT NULL,
    byte_size     BIGINT NOT NULL,
    width         INT,
    height        INT,
    -- Storage key of the file (private) or of the largest variant (images).
    storage_key   TEXT NOT NULL,
    -- Image variants: [{"width":…, "height":…, "key":…, "bytes":…}], smallest first.
    variants      JSONB NOT NULL DEFAULT '[]',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX media_owner ON media (owner_id, created_at DESC);
CREATE UNIQUE INDEX media_public_sha ON media (sha256) WHERE visibility = 'public';

CREATE TABLE blog_categories (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE blog_tags (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

-- An article is public when it is published, or scheduled and its time has
-- come: the check is in every public query, so nothing has to wake up.
CREATE TABLE articles (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    excerpt         TEXT NOT NULL DEFAULT '',
    body_markdown   TEXT NOT NULL DEFAULT '',
    -- Rendered and sanitised when saved; pages never render Markdown.
    body_html       TEXT NOT NULL DEFAULT '',
    reading_minutes INT NOT NULL DEFAULT 1,
    cover_media_id  BIGINT REFERENCES media (id) ON DELETE SET NULL,
    cover_alt       TEXT NOT NULL DEFAULT '',
    category_id     BIGINT REFERENCES blog_categories (id) ON DELETE SET NULL,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status NOT IN ('scheduled', 'published') OR published_at IS NOT NULL)
);
CREATE INDEX articles_public ON articles (published_at DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_category ON articles (category_id, published_at DESC);
CREATE INDEX articles_search ON articles
    USING gin (to_tsvector('french', title || ' ' || excerpt || ' ' || body_markdown));

CREATE TABLE article_tags (
    article_id  BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id      BIGINT NOT NULL REFERENCES blog_tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);

-- Every save keeps the text it wrote, so an editor can go back.
CREATE TABLE article_revisions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id     BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    excerpt        TEXT NOT NULL,
    body_markdown  TEXT NOT NULL,
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, id DESC);

-- Slugs an article used to have: the public page answers them with a 301.
CREATE TABLE article_old_slugs (
    slug        TEXT PRIMARY KEY,
    article_id  BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

INSERT INTO blog_categories (slug, name, description) VALUES
    ('orientation', 'Orientation', 'Choisir un métier, une formation, une reconversion.'),
    ('formation', 'Formation', 'Financer et réussir sa formation : CPF, alternance, VAE.'),
    ('emploi', 'Emploi', 'Candidatures, entretiens et marché du travail.'),
    ('actualites', 'Actualités', 'Les nouveautés de Passerelle et de ses partenaires.');

-- What listings show of an article, for public articles only.
CREATE VIEW public_article_cards AS
SELECT a.id, a.slug, a.title, a.excerpt, a.published_at, a.updated_at, a.reading_minutes,
       a.category_id, c.slug AS category_slug, c.name AS category_name,
       a.cover_media_id AS cover_id, m.variants AS cover_variants, a.cover_alt,
       to_char(a.published_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS published_day
FROM articles a
LEFT JOIN blog_categories c ON c.id = a.category_id
LEFT JOIN media m ON m.id = a.cover_media_id
WHERE a.status IN ('published', 'scheduled') AND a.published_at <= now();
