# Shared settings for the project's scripts. Sourced, not run.
# Everything local lives under .data/; tools and cargo's target dir live in
# a cache outside the clone so that fresh clones (CI) start warm.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
CACHE="${PASSERELLE_CACHE:-$HOME/.cache/passerelle}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
export PATH="$ROOT/node_modules/.bin:$TOOLS/bin:$HOME/.cargo/bin:$PATH"
# Queries are checked against .sqlx/ at compile time: no database needed to build.
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
# Incremental caches are per checkout and large: keep them for `make dev` only.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

PG_PORT="${PASSERELLE_PG_PORT:-54329}"
REDIS_PORT="${PASSERELLE_REDIS_PORT:-63799}"
SMTP_PORT="${PASSERELLE_SMTP_PORT:-2525}"
S3_PORT="${PASSERELLE_S3_PORT:-9329}"
# The S3-compatible test server (moto) lives in its own virtualenv in the cache.
MOTO_VENV="$TOOLS/moto"
# Schemathesis checks the API against its OpenAPI document (make test).
SCHEMATHESIS_VENV="$TOOLS/schemathesis"

say() { printf '\033[1;34m▸\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m✗ %s\033[0m\n' "$*" >&2; exit 1; }

# True when something already listens on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
