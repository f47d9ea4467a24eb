-- How long an offer stays live once published (or renewed by its form),
-- chosen on the offer's form; publishing sets expires_at from it.
ALTER TABLE job_offers
    ADD COLUMN expiry_days SMALLINT NOT NULL DEFAULT 60 CHECK (expiry_days BETWEEN 1 AND 90);
