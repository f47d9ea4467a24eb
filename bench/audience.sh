#!/usr/bin/env bash
# What counting the audience costs an offer page: the same release binary,
# counting on (AUDIENCE_FLUSH_SECS=10) and off (0), loaded in turn with 200
# different offer pages (brotli, a browser's user agent, so that every page
# counts), ROUNDS rounds interleaved. Prints requests/s and p99 per round and
# the medians, then checks that the counted views reached analytics_daily.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

PORT="${BENCH_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
OFFERS="${OFFERS:-10000}"

scripts/setup.sh
scripts/services.sh start
eval "$(scripts/services.sh env passerelle_bench_audience)"
scripts/services.sh drop-db "$DATABASE_URL"
scripts/services.sh create-db "$DATABASE_URL"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)."

say "Release build (cargo leptos build --release --split --precompress)"
cargo leptos build --release --split --precompress >"$DATA/bench-build.log" 2>&1 || die "release build failed: see .data/bench-build.log"
BIN="$CARGO_TARGET_DIR/release/passerelle"
port_busy "$PORT" && die "Port $PORT is in use: set BENCH_PORT."
export LISTEN_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="$BASE" SITE_ROOT="$ROOT/target/site" RUST_LOG=warn \
  STORAGE_LOCAL_DIR="$DATA/bench-uploads" WORKER_INTERVAL_SECS=0
say "Seeding $OFFERS offers"
"$BIN" seed --demo >/dev/null
"$BIN" seed --bench-offers "$OFFERS" >/dev/null

LUA="$DATA/bench-audience.lua"
{
  echo "local slugs = {"
  psql -At "$DATABASE_URL" -c "SELECT '\"' || slug || '\",' FROM job_offers
    WHERE slug LIKE 'bench-offre-%' AND status = 'published' ORDER BY slug LIMIT 200"
  echo "}"
  echo 'local i = 0'
  echo 'wrk.headers["Accept-Encoding"] = "br"'
  echo 'wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"'
  echo 'request = function() i = i % #slugs + 1; return wrk.format(nil, "/offres/" .. slugs[i]) end'
} >"$LUA"

# One server for one run: (requests/s, p99 ms).
run() {
  AUDIENCE_FLUSH_SECS="$1" "$BIN" serve >"$DATA/bench-audience-server.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  # Warm the page cache and the connections first.
  wrk -t2 -c"$CONNECTIONS" -d3s -s "$LUA" "$BASE" >/dev/null
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$BASE")
  kill "$server"
  wait "$server" 2>/dev/null || true
  local rps p99
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /ms$/) { sub("ms", "", v) } else if (v ~ /us$/) { sub("us", "", v); v = v / 1000 } else if (v ~ /s$/) { sub("s", "", v); v = v * 1000 } printf "%.1f", v }' <<<"$out")
  echo "$rps $p99"
}

say "200 offer pages in turn, $CONNECTIONS connections, $DURATION, $ROUNDS rounds"
declare -a on off
printf '%-8s %-28s %-28s\n' round "counting on: req/s, p99" "counting off: req/s, p99"
for round in $(seq "$ROUNDS"); do
  read -r on_rps on_p99 < <(run 10)
  read -r off_rps off_p99 < <(run 0)
  on+=("$on_rps"); off+=("$off_rps")
  printf '%-8s %-28s %-28s\n' "$round" "$on_rps, ${on_p99} ms" "$off_rps, ${off_p99} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
m_on=$(median "${on[@]}"); m_off=$(median "${off[@]}")
echo "median: counting on $m_on req/s, off $m_off req/s ($(awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }') %)"
views=$(psql -At "$DATABASE_URL" -c "SELECT coalesce(sum(hits), 0) FROM analytics_daily WHERE metric = 'vue' AND label = 'offre'")
echo "offer views written to analytics_daily by the counting runs: $views"
