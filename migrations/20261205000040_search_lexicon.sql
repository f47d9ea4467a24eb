-- Typo tolerance word by word: "devlopeur web" must find "Développeur web".
-- The lexicon holds every word (unaccented, lower case, 3 letters or more)
-- of a searchable title or a skill; a word of a query that is not in it is
-- replaced by the lexicon's closest word before the second try of a search.
-- Words are never removed: one that no longer finds anything costs a miss.
CREATE TABLE search_lexicon (
    word TEXT PRIMARY KEY
);
CREATE INDEX search_lexicon_trigrams ON search_lexicon USING gin (word gin_trgm_ops);

CREATE FUNCTION lexicon_words(texts TEXT[]) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT w
    FROM unnest(texts) t, regexp_split_to_table(immutable_unaccent(lower(t)), '[^[:alnum:]]+') w
    WHERE length(w) >= 3;
$$;

-- One statement's rows at once (the seed inserts offers by thousands).
CREATE FUNCTION learn_search_titles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- In order: two statements adding the same words lock them alike.
    INSERT INTO search_lexicon (word)
    SELECT w FROM lexicon_words((SELECT array_agg(title_key) FROM added)) w ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER job_search_lexicon AFTER INSERT ON job_search
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION learn_search_titles();
CREATE TRIGGER training_search_lexicon AFTER INSERT ON training_search
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION learn_search_titles();

CREATE FUNCTION learn_skill_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_lexicon (word)
    SELECT w FROM lexicon_words((SELECT array_agg(name) FROM added)) w ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER skills_lexicon AFTER INSERT ON skills
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION learn_skill_names();

INSERT INTO search_lexicon (word)
SELECT lexicon_words(array_agg(title_key)) FROM job_search
UNION SELECT lexicon_words(array_agg(title_key)) FROM training_search
UNION SELECT lexicon_words(array_agg(name)) FROM skills
ON CONFLICT DO NOTHING;

-- `words` with each word of 4 letters or more that the lexicon does not
-- know replaced by its closest known word (trigram similarity, 0.3 at least).
CREATE FUNCTION correct_words(words TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(coalesce(fix.word, w.word), ' ' ORDER BY w.n), '')
    FROM regexp_split_to_table(immutable_unaccent(lower(trim(words))), '[^[:alnum:]]+')
         WITH ORDINALITY AS w(word, n)
    LEFT JOIN LATERAL (
        SELECT l.word FROM search_lexicon l
        WHERE length(w.word) >= 4
          AND NOT EXISTS (SELECT 1 FROM search_lexicon known WHERE known.word = w.word)
          AND l.word % w.word
        ORDER BY similarity(l.word, w.word) DESC, l.word
        LIMIT 1
    ) fix ON true
    WHERE w.word <> '';
$$;
