-- Richer organisation pages: photos (public images from the media layer,
-- each with the description a screen reader reads) and a video link.
CREATE TABLE organisation_photos (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Public images are shared by their bytes: removing a photo keeps the file.
    media_id        BIGINT NOT NULL REFERENCES media (id),
    alt             TEXT NOT NULL CHECK (char_length(alt) BETWEEN 1 AND 200),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, media_id)
);
CREATE INDEX organisation_photos_by_organisation ON organisation_photos (organisation_id, id);

-- A link to a video on a known host (checked by the form), never embedded:
-- the page's content security policy loads nothing from elsewhere.
ALTER TABLE organisations
    ADD COLUMN video_url TEXT NOT NULL DEFAULT ''
        CHECK (video_url = '' OR (video_url LIKE 'https://%' AND char_length(video_url) <= 300));
