#!/usr/bin/env bash
# Regenerates .sqlx/ (the offline query data builds use) against a scratch
# database that has every migration applied.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
scripts/setup.sh
scripts/services.sh start
eval "$(scripts/services.sh env passerelle_prepare)"
scripts/services.sh drop-db "$DATABASE_URL"
scripts/services.sh create-db "$DATABASE_URL"
sqlx migrate run --source migrations
SQLX_OFFLINE=false cargo sqlx prepare --workspace -- --all-targets --features app/ssr
