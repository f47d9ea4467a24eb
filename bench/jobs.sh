#!/usr/bin/env bash
# Job board under load (`make bench-jobs`): seeds 100,000 live offers, then
# reports requests/s and p50/p99 for `/offres` with a query and two facets
# (and the same searches through the public API, `/api/v1/offres`),
# for an offer page (with its bridge to trainings), and for the bridge seen
# from a training, with the EXPLAIN ANALYZE of the statements behind them.
#   OFFERS=100000 DURATION=15s CONNECTIONS=32 bench/jobs.sh
OFFERS="${OFFERS:-100000}"
source "$(dirname "$0")/load.sh"

seeding "$OFFERS offers"
"$BIN" seed --bench-offers "$OFFERS" | tail -n 1
seeded
live=$(psql -At "$DATABASE_URL" -c "SELECT count(*) FROM job_search WHERE expires_at > now()")

# The pages: a demo offer of Atelier Rhône Industrie (its bridge lists
# trainings teaching welding), and the web developer training with most
# skills in common with the offers.
OFFER_SLUG=soudeur-tig-mig-lyon
read -r TRAINING_ID TRAINING_SLUG < <(psql -At -F ' ' "$DATABASE_URL" -c "
  SELECT t.id, t.slug FROM trainings t JOIN training_search s ON s.training_id = t.id
  WHERE t.slug LIKE 'titre-professionnel-developpeur-web%' ORDER BY t.id LIMIT 1")
[ -n "$TRAINING_SLUG" ] || die "No published web developer training: is the demo seeded?"
SKILLS=$(psql -At "$DATABASE_URL" -c "
  SELECT '{' || string_agg(skill_id::text, ',') || '}' FROM job_skills js
  JOIN job_offers j ON j.id = js.offer_id WHERE j.slug = '$OFFER_SLUG'")
# Where the job is: the bridge puts the trainings around it first.
ORIGIN=$(psql -At "$DATABASE_URL" -c "SELECT commune_code FROM job_offers WHERE slug = '$OFFER_SLUG'")

# wrk scripts: the server function is a form POST; "200 offers" spreads the
# load over many offer pages.
LUA_API="$DATA/bench-jobs-api.lua"
cat >"$LUA_API" <<LUA
wrk.method = "POST"
wrk.body = "slug=$TRAINING_SLUG"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
LUA_OFFERS="$DATA/bench-jobs-offers.lua"
{
  echo "local slugs = {"
  psql -At "$DATABASE_URL" -c "SELECT '\"' || slug || '\",' FROM job_offers
    WHERE slug LIKE 'bench-offre-%' AND status = 'published' ORDER BY slug LIMIT 200"
  echo "}"
  echo 'local i = 0'
  echo 'request = function() i = i % #slugs + 1; return wrk.format(nil, "/offres/" .. slugs[i]) end'
} >"$LUA_OFFERS"

# (label, path, marker the answer must hold, wrk script or empty).
# Each search and offer also through the public API (/api/v1), side by side
# with its HTML page: the same data layer, JSON instead of a rendered page.
PAGES=(
  "no filter|/offres|data-total=|"
  "API: no filter|/api/v1/offres|\"next_cursor\"|"
  "q + 2 facets|/offres?q=developpeur&contrat=cdi&teletravail=hybride|data-total=|"
  "API: q + 2 facets|/api/v1/offres?q=developpeur&contrat=cdi&teletravail=hybride|\"next_cursor\"|"
  "one offer page + bridge|/offres/$OFFER_SLUG|data-bridge|"
  "API: one offer|/api/v1/offres/$OFFER_SLUG|\"title\"|"
  "200 offer pages, rotating|/offres/bench-offre-000001|JobPosting|$LUA_OFFERS"
  "training page + its offers|/formations/$TRAINING_SLUG|data-training-offers|"
  "bridge API, training side|/api/formations/offres|\"slug\"|$LUA_API"
)

echo
echo "Machine: $(nproc) cores; $live live offers; wrk ${DURATION}, ${CONNECTIONS} connections, 2 threads, same machine"
printf '%-28s %-72s %9s %9s %9s %s\n' "page" "path" "req/s" "p50" "p99" "check"
for entry in "${PAGES[@]}"; do
  IFS='|' read -r label path marker script <<<"$entry"
  if [ -n "$script" ] && [[ "$path" == /api/* ]]; then
    answer=$(curl -fs -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
      --data "slug=$TRAINING_SLUG" "$BASE$path")
  else
    answer=$(curl -fs "$BASE$path")
  fi
  check="ok"
  grep -q -- "$marker" <<<"$answer" || die "$path does not answer with $marker"
  if [[ "$path" == /offres || "$path" == /offres\?* ]]; then
    check="$(grep -o 'data-total="[0-9]*"' <<<"$answer" | head -n1 | grep -o '[0-9]*') results"
  elif [[ "$path" == /api/v1/offres\?* || "$path" == /api/v1/offres ]]; then
    check="$(grep -o '"total":[0-9]*' <<<"$answer" | head -n1 | grep -o '[0-9]*') results, $(wc -c <<<"$answer") bytes"
  fi
  load "$path" ${script:+-s "$script"}
  printf '%-28s %-72s %9s %9s %9s %s %s\n' "$label" "$path" "$rps" "$p50" "$p99" "$check" "$errors"
done
echo "Server memory after the load (RSS): $(awk '/VmRSS/{print $2/1024 " MiB"}' /proc/$SERVER/status)"

# The statements the server runs, taken from its source, explained with the
# pages' parameters.
# Contracts, remote modes and experience levels, as app/src/jobs/mod.rs lists them.
VOCABULARY="'{cdi,cdd,interim,saisonnier,alternance,stage,freelance}', '{presentiel,hybride,teletravail}', '{debutant,1-2,3-5,5-plus}'"
search_sql=$(extract "$ROOT/app/src/jobs/hits.rs" 'let mut rows = sqlx::query!\(\s*r#"(.*?)"#')
teaching_sql=$(extract "$ROOT/app/src/jobs/ssr.rs" 'fn trainings_teaching.*?query_scalar!\(\s*r#"(.*?)"#')
offers_sql=$(extract "$ROOT/app/src/jobs/ssr.rs" 'fn offers_for_training.*?query_scalar!\(\s*r#"(.*?)"#')
# The words' hits, read once per version whatever the filters (app/src/jobs/hits.rs).
explain "the hits of /offres?q=developpeur (every filter of these words reads them)" \
  "text, bool, text, float8, timestamptz, text[], text[], text[]" "$search_sql" "'developpeur', false, NULL, 30000, NULL, $VOCABULARY"
explain "trainings_teaching: the bridge on /offres/$OFFER_SLUG (skills $SKILLS, around $ORIGIN)" \
  "bigint[], bigint, text" "$teaching_sql" "'$SKILLS', 6, '$ORIGIN'"
explain "offers_for_training: the bridge on /formations/$TRAINING_SLUG" \
  "text, bigint" "$offers_sql" "'$TRAINING_SLUG', 6"
