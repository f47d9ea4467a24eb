#!/usr/bin/env bash
# Catalogue search under load (`make bench-catalogue`): seeds 20,000 extra
# trainings, then reports requests/s and p50/p99 for `/formations` searches
# with a query and two facets, and the EXPLAIN ANALYZE of the search query.
#   TRAININGS=20000 DURATION=15s CONNECTIONS=32 bench/catalogue.sh
TRAININGS="${TRAININGS:-20000}"
source "$(dirname "$0")/load.sh"

seeding "$TRAININGS trainings"
"$BIN" seed --bench "$TRAININGS" >/dev/null
seeded
published=$(psql -At "$DATABASE_URL" -c "SELECT count(*) FROM public_trainings")

# (label, path): a query with two facets, a query with a place and radius,
# two facets alone, and a typo.
PAGES=(
  "q + 2 facets|/formations?q=developpeur&modalite=presentiel&cpf=oui"
  "q + place 50 km + facet|/formations?q=soudure&lieu=Lyon&rayon=50&cpf=oui"
  "2 facets, no q|/formations?region=84&prix=1000-3000"
  "typo|/formations?q=devloppeur+web"
  "whole catalogue|/formations"
)

echo
echo "Machine: $(nproc) cores; $published public trainings; wrk ${DURATION}, ${CONNECTIONS} connections, 2 threads, same machine"
printf '%-28s %-64s %10s %9s %9s %8s\n' "search" "path" "req/s" "p50" "p99" "results"
for entry in "${PAGES[@]}"; do
  label="${entry%%|*}"
  path="${entry#*|}"
  results=$(curl -fs "$BASE$path" | grep -o 'data-total="[0-9]*"' | head -n1 | grep -o '[0-9]*')
  [ -n "$results" ] || die "$path does not answer with results"
  load "$path"
  printf '%-28s %-64s %10s %9s %9s %8s %s\n' "$label" "$path" "$rps" "$p50" "$p99" "$results" "$errors"
done
echo "Server memory after the load (RSS): $(awk '/VmRSS/{print $2/1024 " MiB"}' /proc/$SERVER/status)"

# The statement the server runs, taken from its source, explained with the
# first page's parameters: it must use the GIN indexes, not scan trainings.
sql=$(extract "$ROOT/app/src/trainings/search.rs" 'sqlx::query!\(\s*r#"(WITH params.*?)"#')
TYPES="text, text, bool, int, text, text, text, text, text, text, float8, text, bigint, bigint, bool"
explain "q=developpeur, modalite=presentiel, cpf=oui" "$TYPES" "$sql" \
  "'developpeur', 'presentiel', true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 30000, 'pertinence', 20, 0, false"
explain "q=soudure, cpf=oui, lieu=Lyon (69123), 50 km" "$TYPES" "$sql" \
  "'soudure', NULL, true, NULL, NULL, NULL, NULL, NULL, NULL, '69123', 50000, 'pertinence', 20, 0, false"
