#!/usr/bin/env bash
# `make test`: every test against real PostgreSQL, Redis and Chromium.
#   scripts/test.sh        lint, then Rust tests (unit, database, HTTP), then browser tests
#   scripts/test.sh lint   formatting and clippy only
#   scripts/test.sh rust   Rust tests only (pass a filter after it: scripts/test.sh rust readyz)
#   scripts/test.sh e2e    browser tests only
#   scripts/test.sh api    the API against its OpenAPI document only (Schemathesis)
#   scripts/test.sh ops    the Kubernetes manifests, the alert rules and the dashboard only
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
stage="${1:-all}"
[ $# -gt 0 ] && shift

scripts/setup.sh browser
scripts/services.sh start
scripts/services.sh start-s3
eval "$(scripts/services.sh env passerelle_test)"
export S3_TEST_ENDPOINT="http://127.0.0.1:$S3_PORT" S3_TEST_BUCKET=passerelle-test
scripts/services.sh create-db "$DATABASE_URL"
export RUST_BACKTRACE=0

lint() {
  say "Formatting (cargo fmt --check)"
  cargo fmt --all --check || die "Code is not formatted: run 'make fmt'."
  say "Module layers (no import cycle between the app's top-level modules)"
  node scripts/module-cycles.mjs app/src
  say "Clippy, server side"
  cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
  say "Clippy, browser side"
  cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
}

# What production runs and watches: the manifests of deploy/ rendered and
# validated, the alert rules unit-tested, the dashboard parsed. The metrics
# they read are compared with a live server's after the browser tests.
ops_checks() {
  say "Kubernetes manifests (deploy/: both overlays rendered and validated)"
  scripts/deploy-check.sh
  scripts/monitoring-check.sh
}

rust_tests() {
  say "Rust tests: unit, database (#[sqlx::test]) and HTTP"
  # One test at a time per binary: each #[sqlx::test] runs its own Tokio
  # runtime, and two rendering pages in one process at once have been seen to
  # stall a streamed body (about 1 run in 12); a served binary has one runtime.
  # Tests render pages on the test thread: debug builds need a deeper stack
  # than the default 2 MiB, as the server's workers have (server/src/main.rs).
  # Each change of the code leaves its test executables (hundreds of MB
  # each) in the shared target directory: the ones no run used for two days go.
  find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -executable ! -name '*.so' -atime +2 -delete 2>/dev/null || true
  RUST_MIN_STACK="${RUST_MIN_STACK:-8388608}" RUST_TEST_THREADS="${RUST_TEST_THREADS:-1}" cargo test --workspace --all-targets --features app/ssr "$@" 2>&1 | tee "$DATA/rust-tests.log"
}

# The site, built and served on 127.0.0.1:$SITE_PORT with the demo data, for
# the browser tests and the API's contract test (once per run).
SITE_PORT="${PASSERELLE_SITE_PORT:-3100}"
# Its /metrics, for the check that what the alerts read is exported.
METRICS_TOKEN="metrics-token-for-the-tests-only-0123456789"
site_server() {
  [ -n "${E2E_SERVER:-}" ] && return 0
  say "Building the site for the browser and API tests"
  cargo leptos build --split
  local port=$SITE_PORT
  port_busy $port && die "Port $port is in use: the browser tests need it."
  local url="${DATABASE_URL%/*}/passerelle_e2e"
  scripts/services.sh drop-db "$url"
  scripts/services.sh create-db "$url"
  local log="$DATA/e2e-server.log"
  (
    # Every browser test comes from 127.0.0.1: the per-IP limit has its own HTTP test.
    rm -rf "$DATA/e2e-uploads"
    # So does the API's quota: Schemathesis sends thousands of requests.
    export DATABASE_URL="$url" LISTEN_ADDR="127.0.0.1:$port" PUBLIC_BASE_URL="http://127.0.0.1:$port" SITE_ROOT="$ROOT/target/site" AUTH_RATE_BURST=1000 SESSION_STORE_TIMEOUT_MS=2000 \
      STORAGE_LOCAL_DIR="$DATA/e2e-uploads" API_RATE_BURST=1000000 API_RATE_PER_MINUTE=1000000 \
      API_CLIENT_RATE_BURST=1000000 API_CLIENT_RATE_PER_MINUTE=1000000 METRICS_TOKEN="$METRICS_TOKEN"
    "$CARGO_TARGET_DIR/debug/passerelle" seed --demo >/dev/null
    # One administrator per browser project: each enrols its own second factor.
    for project in js no-js; do
      printf '%s\n' 'une phrase de passe pour les tests' |
        "$CARGO_TARGET_DIR/debug/passerelle" create-admin --email "admin.$project@exemple.fr" --name "Admin $project" >/dev/null
      # A job given up after every attempt, for that admin to retry.
      psql "$url" -qc "INSERT INTO background_jobs (kind, payload, attempts, last_error, done_at)
        VALUES ('alert_digest', '{\"search\": 0}', 5, 'SMTP refusé (essai $project)', now())" >/dev/null
    done
    # And one per project for the page-by-page check (end2end/tests/pages.spec.ts).
    for project in js no-js; do
      printf '%s\n' 'une phrase de passe pour les tests' |
        "$CARGO_TARGET_DIR/debug/passerelle" create-admin --email "admin.pages-$project@exemple.fr" --name "Admin pages $project" >/dev/null
    done
    exec "$CARGO_TARGET_DIR/debug/passerelle" serve
  ) >"$log" 2>&1 &
  E2E_SERVER=$!
  trap 'kill $E2E_SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 $E2E_SERVER 2>/dev/null || { cat "$log"; die "The server did not start (log above)."; }
    sleep 0.2
  done
}

e2e() {
  site_server
  say "Browser tests (Chromium, with and without JavaScript)"
  BASE_URL="http://127.0.0.1:$SITE_PORT" npx playwright test --config end2end/playwright.config.ts "$@" 2>&1 \
    | tee "$DATA/e2e-tests.log"
}

# Schemathesis generates requests from /api/v1/openapi.json, valid and
# invalid, and checks every answer: no 5xx, status, headers and body as the
# document declares, invalid input refused, a route that needs a token
# refusing a request without it. Not checked: that every valid request is
# accepted ("positive_data_acceptance"), since a well-formed id or slug of
# nothing is a true 404. Four callers: anonymous on every route, then a
# company's client, a centre's client and a candidate (tokens got through
# the real flows, scripts/api-tokens.py) on their own routes. One worker:
# with two threads, Hypothesis's ast.parse calls race in CPython 3.11's AST
# depth counter (python/cpython#106905) and stop the run with a SystemError.
contract_run() {
  local name=$1
  shift
  "$SCHEMATHESIS_VENV/bin/schemathesis" run "http://127.0.0.1:$SITE_PORT/api/v1/openapi.json" \
    --checks all --exclude-checks positive_data_acceptance --max-examples 40 --seed 2026 \
    --workers 1 --request-timeout 30 --no-color --generation-database none \
    --report junit --report-junit-path "$DATA/api-contract-$name.xml" "$@" 2>&1 | tee "$DATA/api-contract-$name.log"
}

api_contract() {
  site_server
  say "API contract (Schemathesis against /api/v1/openapi.json)"
  rm -f "$DATA"/api-contract-*.xml
  contract_run anonymous || die "The API does not keep its contract: see $DATA/api-contract-anonymous.log"
  local app
  app=$(psql -At -F ' ' "${DATABASE_URL%/*}/passerelle_e2e" -c \
    "SELECT client_id, redirect_uris[1] FROM oauth_apps WHERE revoked_at IS NULL ORDER BY id LIMIT 1")
  [ -n "$app" ] || die "No OAuth app in the demo data: is 'passerelle seed --demo' up to date?"
  local tokens
  # shellcheck disable=SC2086 # two words: the app's client_id and redirect URI
  tokens=$(python3 scripts/api-tokens.py "http://127.0.0.1:$SITE_PORT" $app) || die "Could not get the API tokens (above)."
  local COMPANY_TOKEN CENTRE_TOKEN USER_TOKEN
  eval "$tokens"
  contract_run company -H "Authorization: Bearer $COMPANY_TOKEN" --include-path-regex '^/api/v1/entreprise/' ||
    die "The company routes do not keep their contract: see $DATA/api-contract-company.log"
  contract_run centre -H "Authorization: Bearer $CENTRE_TOKEN" --include-path-regex '^/api/v1/centre/' ||
    die "The centre routes do not keep their contract: see $DATA/api-contract-centre.log"
  contract_run candidate -H "Authorization: Bearer $USER_TOKEN" --include-path-regex '^/api/v1/moi' ||
    die "The candidate routes do not keep their contract: see $DATA/api-contract-candidate.log"
}

# Every metric and label the alert rules and the dashboard read, exported
# by the server the browser and API tests have just used.
metrics_names() {
  site_server
  say "Metrics the alerts and the dashboard read (a live /metrics)"
  scripts/monitoring-check.sh "http://127.0.0.1:$SITE_PORT/metrics" "$METRICS_TOKEN"
}

# One closing line for the whole run, whatever the runners printed.
summary() {
  local rust e2e api
  rust=$(awk '/^test result: ok\./ { for (i = 1; i < NF; i++) if ($(i + 1) == "passed;") n += $i } END { print n + 0 }' "$DATA/rust-tests.log")
  e2e=$(awk '/^ *[0-9]+ passed/ { n = $1 } END { print n + 0 }' "$DATA/e2e-tests.log")
  # Each report's first `tests=` counts its operations.
  api=$(for report in "$DATA"/api-contract-*.xml; do grep -o 'tests="[0-9]*"' "$report" | head -1 | tr -dc 0-9; echo; done |
    awk '{ n += $1 } END { print n + 0 }')
  echo "Summary: $((rust + e2e)) passed, 0 failed (Rust $rust, browser $e2e); API contract kept on $api operations by 4 callers"
}

case "$stage" in
  lint) lint ;;
  rust) rust_tests "$@" ;;
  e2e) e2e "$@" ;;
  api) api_contract ;;
  ops) ops_checks; metrics_names ;;
  all) lint; ops_checks; rust_tests; e2e; api_contract; metrics_names; summary ;;
  *) die "usage: scripts/test.sh [lint|rust|e2e|api|ops] [args]" ;;
esac
