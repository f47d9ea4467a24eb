-- Saved searches watch the catalogue too: `scope` says which list an alert
-- searches (its query string is read in that list's parameters). Every
-- existing alert is an `/offres` one; the constant default keeps this a
-- change of the catalog only, without rewriting the table.
ALTER TABLE saved_searches
    ADD COLUMN scope TEXT NOT NULL DEFAULT 'offers'
    CONSTRAINT saved_searches_scope CHECK (scope IN ('offers', 'trainings'));
