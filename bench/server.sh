# Sourced by the benchmarks: builds the release binary and serves it on
# seeded data at $BASE (127.0.0.1:$PORT). Stopped when the script exits.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

PORT="${BENCH_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"

scripts/setup.sh
scripts/services.sh start
eval "$(scripts/services.sh env passerelle_bench)"
scripts/services.sh drop-db "$DATABASE_URL"
scripts/services.sh create-db "$DATABASE_URL"

say "Release build (cargo leptos build --release --split --precompress)"
cargo leptos build --release --split --precompress >"$DATA/bench-build.log" 2>&1 || die "release build failed: see .data/bench-build.log"
BIN="$CARGO_TARGET_DIR/release/passerelle"
port_busy "$PORT" && die "Port $PORT is in use: set BENCH_PORT."

rm -rf "$DATA/bench-uploads"
# wrk comes from one address: the API's per-address quota would cut it short.
export LISTEN_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="$BASE" SITE_ROOT="$ROOT/target/site" RUST_LOG=warn \
  STORAGE_LOCAL_DIR="$DATA/bench-uploads" API_RATE_BURST=1000000 API_RATE_PER_MINUTE=1000000 \
  API_CLIENT_RATE_BURST=1000000 API_CLIENT_RATE_PER_MINUTE=1000000
"$BIN" seed --demo >/dev/null
"$BIN" serve >"$DATA/bench-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$BASE/readyz" >/dev/null || { cat "$DATA/bench-server.log"; die "The server did not start."; }

# The newest demo article: the page the article benchmarks load.
ARTICLE="$(curl -fs "$BASE/blog" | grep -o 'href="/blog/[a-z0-9-]*"' | grep -v '/blog/categorie\|/blog/tag\|feed' | head -n 1 | sed 's/href="\(.*\)"/\1/')"
[ -n "$ARTICLE" ] || die "No article found on /blog."
