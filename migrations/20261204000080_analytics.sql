-- First-party audience measurement: daily totals only (no cookie, no IP
-- address, no user id, no row per visit). The server adds counts in
-- memory and writes them here every few seconds, one statement per write.
CREATE TABLE analytics_daily (
    day     DATE NOT NULL,
    -- page, vue, recherche_offres, filtre_offres, recherche_formations,
    -- filtre_formations, candidature_ouverte, candidature_envoyee,
    -- inscription_demandee (app::analytics::Metric).
    metric  TEXT NOT NULL,
    -- A route or listing kind, a search's words, a filter; '' otherwise.
    label   TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    -- The offer, training, article or organisation counted; 0 otherwise.
    item    BIGINT NOT NULL DEFAULT 0,
    hits    BIGINT NOT NULL,
    -- Searches: how many found nothing.
    zero    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric, label, item)
);
-- An organisation's listings over a period.
CREATE INDEX analytics_daily_item ON analytics_daily (item, day) WHERE item <> 0;
-- The searches and filters of a period.
CREATE INDEX analytics_daily_metric ON analytics_daily (metric, day);
