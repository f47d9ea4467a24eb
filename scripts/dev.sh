#!/usr/bin/env bash
# `make dev`: tools, local services, migrations, demo data, then cargo-leptos
# in watch mode (rebuilds and reloads the browser on every change).
CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-1}"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

scripts/setup.sh
scripts/services.sh start
eval "$(scripts/services.sh env passerelle_dev)"
scripts/services.sh create-db "$DATABASE_URL"

port_busy 3000 && die "Port 3000 is in use by another program: stop it (is 'make dev' already running?)."

say "Building (the first build takes a few minutes, later ones seconds)"
cargo leptos build --split
say "Loading the demo data"
"$CARGO_TARGET_DIR/debug/passerelle" seed --demo
say "Serving http://localhost:3000 (Ctrl-C to stop; 'make stop' stops PostgreSQL and Redis)"
exec cargo leptos watch --split
