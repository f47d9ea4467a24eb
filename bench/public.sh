#!/usr/bin/env bash
# Public pages at every size of catalogue (`make bench-public`): one release
# server, a catalogue topped up to each size of $SIZES offers (plus
# $TRAININGS trainings), and for each size, requests/s (wrk, 64 connections,
# brotli as browsers ask), p99 at half that rate held constant (oha -q), and
# the share of answers each row got from the caches. Then the searches alone
# at $BIG offers, the EXPLAIN of the search statements at the largest size,
# and the server's memory after everything.
#   SIZES="10000 100000" BIG=1000000 TRAININGS=20000 DURATION=15s bench/public.sh
SIZES="${SIZES:-10000 100000}"
BIG="${BIG:-1000000}"
TRAININGS="${TRAININGS:-20000}"
CONNECTIONS="${CONNECTIONS:-64}"
CONSTANT="${CONSTANT:-10s}"
export METRICS_TOKEN="bench-metrics-token-$(date +%s)-0123456789"
source "$(dirname "$0")/load.sh"

# oha holds a constant rate (wrk cannot): installed once into the cache.
OHA_VERSION=1.15.0
OHA="$TOOLS/bin/oha"
if [ ! -x "$OHA" ] || ! "$OHA" --version | grep -q "$OHA_VERSION"; then
  say "Installing oha $OHA_VERSION (once)"
  cargo install oha --version "$OHA_VERSION" --locked --no-default-features --features native-tls --root "$TOOLS" >"$DATA/oha-install.log" 2>&1 \
    || die "oha did not install: see .data/oha-install.log"
fi

seeding "$TRAININGS trainings"
"$BIN" seed --bench "$TRAININGS" >/dev/null
seeded

# cache_counts: "hits misses" of the page cache, then "hits misses" of the
# search cache (from memory or Redis, or computed), then "found read" of the
# offers' hit sets, from /metrics.
cache_counts() {
  curl -fs -H "Authorization: Bearer $METRICS_TOKEN" "$BASE/metrics" | awk '
    /^passerelle_cache_requests_total\{cache="pages",result="hit"\}/ { h = $2 }
    /^passerelle_cache_requests_total\{cache="pages",result="miss"\}/ { m = $2 }
    /^passerelle_cache_requests_total\{cache="searches",result="(hit|shared)"\}/ { sh += $2 }
    /^passerelle_cache_requests_total\{cache="searches",result="miss"\}/ { sm = $2 }
    /^passerelle_cache_requests_total\{cache="hit_sets",result="hit"\}/ { kh = $2 }
    /^passerelle_cache_requests_total\{cache="hit_sets",result="miss"\}/ { km = $2 }
    END { printf "%d %d %d %d %d %d\n", h, m, sh, sm, kh, km }'
}

# share HITS MISSES: hits as a percentage, or "-" without requests.
share() { awk -v h="$1" -v m="$2" 'BEGIN { if (h + m) printf "%d%%", 100 * h / (h + m); else print "-" }'; }

# rotation NAME: a wrk script requesting, in turn, each path read on stdin;
# prints its file name. The paths also go to NAME.urls for oha.
rotation() {
  local lua="$DATA/bench-public-$1.lua" urls="$DATA/bench-public-$1.urls"
  tee >(sed "s|^|$BASE|" >"$urls") | {
    echo "local paths = {"
    sed 's/.*/  "&",/'
    echo "}"
    # Each wrk thread starts at its own share of the list, so two threads
    # never ask for one path together.
    echo 'local threads = 0'
    echo 'function setup(thread) thread:set("id", threads); threads = threads + 1 end'
    echo 'local i'
    echo 'function init(args) i = (id or 0) * math.floor(#paths / 2) end'
    echo 'request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end'
  } >"$lua"
  sleep 0.2 # the tee'd file
  echo "$lua"
}

# searches SCOPE: every search of /offres or /formations made of one of the
# 200 commonest title words and two facets (thousands: a run never repeats
# one), in a fixed shuffled order.
searches() {
  local scope=$1 titles
  if [ "$scope" = offres ]; then
    titles="SELECT title FROM job_offers WHERE status = 'published'"
  else
    titles="SELECT title FROM trainings WHERE status = 'published'"
  fi
  psql -At "$DATABASE_URL" -c "
    SELECT w FROM (SELECT lower(unnest(regexp_split_to_array(t.title, '[^[:alpha:]]+'))) AS w
                   FROM ($titles LIMIT 5000) t) words
    WHERE length(w) >= 5 GROUP BY w ORDER BY count(*) DESC LIMIT 200" |
    python3 -c '
import itertools, random, sys, urllib.parse
scope, words = sys.argv[1], [w.strip() for w in sys.stdin if w.strip()]
facets = {
    "offres": {"contrat": ["cdi", "cdd", "interim", "saisonnier", "alternance", "stage", "freelance"],
               "teletravail": ["presentiel", "hybride", "teletravail"],
               "experience": ["debutant", "1-2", "3-5", "5-plus"]},
    "formations": {"modalite": ["presentiel", "distanciel", "hybride"],
                   "cpf": ["oui", "non"],
                   "prix": ["gratuit", "moins-1000", "1000-3000", "3000-6000", "plus-6000"]},
}[scope]
pairs = [((a, x), (b, y)) for a, b in itertools.combinations(facets, 2)
         for x in facets[a] for y in facets[b]]
paths = [f"/{scope}?" + urllib.parse.urlencode([("q", w), first, second])
         for w in words for first, second in pairs]
random.Random(15).shuffle(paths)
assert len(paths) >= 1000, len(paths)
print("\n".join(paths))' "$scope"
}

# slugs SQL PREFIX: the pages PREFIX/slug for the slugs SQL selects.
slugs() { psql -At "$DATABASE_URL" -c "$1" | sed "s|^|$2/|"; }

# row LABEL PATH [LUA URLS]: measures one page (or a rotation) and prints a line.
row() {
  local label=$1 path=$2 lua=${3:-} urls=${4:-} before after rate p99c
  curl -fs -o /dev/null "$BASE$path" || die "$path does not answer 200"
  read -ra before < <(cache_counts)
  load "$path" ${lua:+-s "$lua"}
  read -ra after < <(cache_counts)
  rate=$(awk -v r="$rps" 'BEGIN { printf "%d", r / 2 }')
  # Searches the run above kept in Redis would make the constant-rate run a
  # cache test: it starts without them.
  redis-cli -u "$REDIS_URL" --scan --pattern 'passerelle:search:*' | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null
  local target=("$BASE$path")
  [ -n "$urls" ] && target=(--urls-from-file "$urls")
  # p99 in ms, and the answers that were not 2xx.
  p99c=$("$OHA" --no-tui -z "$CONSTANT" -q "$rate" -c "$CONNECTIONS" -H 'Accept-Encoding: br' \
    --output-format json "${target[@]}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
bad = sum(n for code, n in d["statusCodeDistribution"].items() if not code.startswith("2"))
# Requests cut by the end of the run are not failures.
bad += sum(n for error, n in d["errorDistribution"].items() if "deadline" not in error)
p99 = d["latencyPercentiles"]["p99"] or 0
print(f"{p99 * 1000:.1f}ms" + (f" ({bad} failed)" if bad else ""))')
  printf '%-34s %9s %9s %9s %8s %10s %7s %8s %8s %s\n' "$label" "$rps" "$p50" "$p99" "$rate" "${p99c:--}" \
    "$(share $((after[0] - before[0])) $((after[1] - before[1])))" \
    "$(share $((after[2] - before[2])) $((after[3] - before[3])))" \
    "$(share $((after[4] - before[4])) $((after[5] - before[5])))" "$errors"
}

header() {
  echo
  echo "== $1: $(psql -At "$DATABASE_URL" -c "SELECT count(*) FROM job_search WHERE expires_at > now()") live offers, $(psql -At "$DATABASE_URL" -c "SELECT count(*) FROM public_trainings") public trainings"
  printf '%-34s %9s %9s %9s %8s %10s %7s %8s %8s\n' "page" "req/s" "p50" "p99" "rate/2" "p99 @rate" "pages" "searches" "hit sets"
}

offer_searches=$(searches offres | rotation offer-searches)
measure_searches() {
  row "/offres without any filter" "/offres"
  row "/offres q + 2 facets, same" "/offres?q=developpeur&contrat=cdi&teletravail=hybride"
  row "/offres different searches" "/offres?q=soudeur&contrat=cdi&teletravail=presentiel" \
    "$offer_searches" "$DATA/bench-public-offer-searches.urls"
}

echo
echo "Machine: $(nproc) cores; wrk ${DURATION}, ${CONNECTIONS} connections, 2 threads; oha ${CONSTANT} at half each rate; same machine"
for size in $SIZES; do
  seeding "$size offers"
  "$BIN" seed --bench-offers "$size" | tail -n 1
  seeded
  header "$size offers"
  measure_searches
  row "/formations without any filter" "/formations"
  row "/formations q + 2 facets, same" "/formations?q=developpeur&modalite=presentiel&cpf=oui"
  row "/formations different searches" "/formations?q=soudure&cpf=oui" \
    "$(searches formations | rotation training-searches)" "$DATA/bench-public-training-searches.urls"
  for kind in offers trainings articles centres companies; do
    case $kind in
      offers) list=$(slugs "SELECT slug FROM job_offers WHERE status = 'published' ORDER BY id DESC LIMIT 200" /offres) ;;
      trainings) list=$(slugs "SELECT t.slug FROM trainings t JOIN training_search s ON s.training_id = t.id ORDER BY t.id DESC LIMIT 200" /formations) ;;
      articles) list=$(slugs "SELECT slug FROM articles WHERE status = 'published' ORDER BY id LIMIT 200" /blog) ;;
      centres) list=$(slugs "SELECT slug FROM organisations WHERE kind = 'centre' AND status = 'approved' ORDER BY id LIMIT 200" /centres) ;;
      companies) list=$(slugs "SELECT slug FROM organisations WHERE kind = 'entreprise' AND status = 'approved' ORDER BY id LIMIT 200" /entreprises) ;;
    esac
    first=$(head -n 1 <<<"$list")
    row "$kind: $(wc -l <<<"$list") pages in turn" "$first" \
      "$(rotation "$kind" <<<"$list")" "$DATA/bench-public-$kind.urls"
  done
  row "/" "/"
done

if [ "$BIG" -gt 0 ]; then
  seeding "$BIG offers"
  "$BIN" seed --bench-offers "$BIG" | tail -n 1
  seeded
  offer_searches=$(searches offres | rotation offer-searches)
  header "$BIG offers, searches"
  measure_searches
fi
echo
echo "Server memory after the whole benchmark (RSS): $(awk '/VmRSS/{print $2/1024 " MiB"}' /proc/$SERVER/status)"

# Contracts, remote modes and experience levels, as app/src/jobs/mod.rs lists them.
VOCABULARY="'{cdi,cdd,interim,saisonnier,alternance,stage,freelance}', '{presentiel,hybride,teletravail}', '{debutant,1-2,3-5,5-plus}'"
search_sql=$(extract "$ROOT/app/src/jobs/hits.rs" 'let mut rows = sqlx::query!\(\s*r#"(.*?)"#')
TYPES="text, bool, text, float8, timestamptz, text[], text[], text[]"
# The hits a search's words find, read once per version whatever the filters
# (app/src/jobs/hits.rs): every live offer without words, then a common word.
explain "the hits of /offres without words (a miss; kept sets and pages run nothing)" "$TYPES" "$search_sql" \
  "'', false, NULL, 30000, NULL, $VOCABULARY"
explain "the hits of /offres?q=developpeur" "$TYPES" "$search_sql" "'developpeur', false, NULL, 30000, NULL, $VOCABULARY"
