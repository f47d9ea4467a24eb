#!/usr/bin/env bash
# Starts or stops the project-local PostgreSQL, Redis and SMTP sink under .data/,
# and the S3-compatible server the storage tests use (moto, in memory).
#   scripts/services.sh start   # idempotent; prints nothing to do if running
#   scripts/services.sh start-s3 # the S3 test server, with the test bucket
#   scripts/services.sh stop
#   scripts/services.sh env DB  # the DATABASE_URL / REDIS_URL lines to eval
#   scripts/services.sh create-db URL | drop-db URL
# Skipped for a service whose URL (DATABASE_URL / REDIS_URL) is already set.
source "$(dirname "$0")/lib.sh"

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
PG_DIR="$DATA/postgres"
REDIS_DIR="$DATA/redis"

# PostgreSQL refuses to run as root: in a root shell (CI) run it as `postgres`.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# True when the process whose id is in file $1 runs.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops here when port $1 is taken by something else than ours; $2 is the
# variable that moves the service (PASSERELLE_PG_PORT…).
port_free() {
  port_busy "$1" && die "Port $1 is in use by another program: stop it, or set $2 to a free port."
  return 0
}

# True once something listens on port $1, checked every 0.1 s, $2 times.
answers() {
  for _ in $(seq "$2"); do port_busy "$1" && return 0; sleep 0.1; done
  port_busy "$1"
}

pg_running() { [ -n "$PG_BIN" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; }
redis_running() { alive "$REDIS_DIR/redis.pid"; }

start_pg() {
  [ -n "$PG_BIN" ] || die "PostgreSQL server not found: run 'make setup' (installs it with apt) or set DATABASE_URL."
  if pg_running; then return; fi
  port_free "$PG_PORT" PASSERELLE_PG_PORT
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    say "Creating the local PostgreSQL cluster in .data/postgres"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U passerelle --auth=trust -E UTF8 --locale=C.UTF-8 >"$DATA/initdb.log" 2>&1 \
      || die "initdb failed: see .data/initdb.log"
  fi
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # 512 MB of shared buffers hold the search table and its index at 100,000
  # offers (the default 128 MB made searches read from the OS cache: -20%).
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=512MB" start >/dev/null \
    || die "PostgreSQL did not start: see .data/postgres/server.log"
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found: run 'make setup' (installs it with apt) or set REDIS_URL."
  if redis_running; then return; fi
  port_free "$REDIS_PORT" PASSERELLE_REDIS_PORT
  mkdir -p "$REDIS_DIR"
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no \
    || die "Redis did not start: see .data/redis/redis.log"
  answers "$REDIS_PORT" 50 || die "Redis did not answer on port $REDIS_PORT: see .data/redis/redis.log"
}

MAIL_PID="$DATA/smtp-sink.pid"
sink_running() { alive "$MAIL_PID"; }

# The SMTP sink: every e-mail the app sends lands in .data/mail/ as a file.
start_sink() {
  if sink_running; then return; fi
  port_free "$SMTP_PORT" PASSERELLE_SMTP_PORT
  [ -d "$ROOT/node_modules/smtp-server" ] || die "npm packages missing: run 'make setup'."
  say "Starting the SMTP sink on 127.0.0.1:$SMTP_PORT (mail in .data/mail)"
  PORT="$SMTP_PORT" MAIL_DIR="$DATA/mail" nohup node "$ROOT/scripts/smtp-sink.mjs" >"$DATA/smtp-sink.log" 2>&1 &
  echo $! >"$MAIL_PID"
  answers "$SMTP_PORT" 50 || die "The SMTP sink did not start: see .data/smtp-sink.log"
}

S3_PID="$DATA/s3.pid"
s3_running() { alive "$S3_PID"; }

# moto's S3 server keeps everything in memory: each start is a clean bucket.
start_s3() {
  if s3_running; then return; fi
  [ -x "$MOTO_VENV/bin/python" ] || die "The S3 test server is missing: run 'make setup'."
  port_free "$S3_PORT" PASSERELLE_S3_PORT
  say "Starting the S3 test server (moto) on 127.0.0.1:$S3_PORT"
  nohup "$MOTO_VENV/bin/python" -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$DATA/s3.log" 2>&1 &
  echo $! >"$S3_PID"
  answers "$S3_PORT" 100 || die "The S3 test server did not start: see .data/s3.log"
  curl -fsS -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user test:test \
    "http://127.0.0.1:$S3_PORT/passerelle-test" >/dev/null || die "Could not create the test bucket: see .data/s3.log"
}

case "${1:-start}" in
  start)
    mkdir -p "$DATA"
    [ -n "${DATABASE_URL:-}" ] || start_pg
    [ -n "${REDIS_URL:-}" ] || start_redis
    [ -n "${SMTP_URL:-}" ] || start_sink
    ;;
  start-s3)
    mkdir -p "$DATA"
    start_s3
    ;;
  stop)
    if pg_running; then say "Stopping PostgreSQL"; as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null; fi
    if redis_running; then say "Stopping Redis"; kill "$(cat "$REDIS_DIR/redis.pid")"; fi
    if sink_running; then say "Stopping the SMTP sink"; kill "$(cat "$MAIL_PID")"; fi
    if s3_running; then say "Stopping the S3 test server"; kill "$(cat "$S3_PID")"; fi
    ;;
  create-db) # create-db URL: creates the database named in URL if missing
    url="${2:?usage: services.sh create-db URL}"
    name="${url##*/}"; name="${name%%\?*}"
    admin="${url%/*}/postgres"
    if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" 2>/dev/null | grep -q 1; then
      psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null || die "Cannot create database $name at ${url%/*}: check DATABASE_URL."
    fi
    ;;
  drop-db) # drop-db URL: drops the database named in URL (test runs start clean)
    url="${2:?usage: services.sh drop-db URL}"
    name="${url##*/}"; name="${name%%\?*}"
    psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
    ;;
  env)
    echo "export DATABASE_URL=\"\${DATABASE_URL:-postgres://passerelle@127.0.0.1:$PG_PORT/${2:-passerelle}}\""
    echo "export REDIS_URL=\"\${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}\""
    echo "export SMTP_URL=\"\${SMTP_URL:-smtp://127.0.0.1:$SMTP_PORT}\""
    echo "export MAIL_SINK_DIR=\"\${MAIL_SINK_DIR:-$DATA/mail}\""
    ;;
  *) die "usage: scripts/services.sh start|start-s3|stop|env DB|create-db URL|drop-db URL" ;;
esac
