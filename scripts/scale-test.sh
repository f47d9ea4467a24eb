#!/usr/bin/env bash
# `make scale-test`: Passerelle scaled out on one machine, with real processes
# on loopback: PostgreSQL primary and a streaming replica, Redis (append-only
# file), the SMTP sink, three `passerelle serve` replicas and two `passerelle
# worker` behind HAProxy. Under a steady load (wrk on public pages, and
# scale/load.py: candidates signed in on the site and the API, writing and
# reading their writes back, and a recruiter changing an offer and reading it
# back through the public routes, which read the replica for anonymous
# visitors only) it restarts the replicas one by one, kills one
# with SIGKILL, and restarts Redis; then it reports each phase and checks the
# goals (scale/report.py), and exits non-zero when one is missed.
#
# Everything lives in .data/scale/ (logs included) and stops on exit.
# Settings: SCALE_SKIP_BUILD=1 (use the release binary already built),
# SCALE_CHECK_READ_SHARE=auto|1|0 (the replica must take a share of the
# reads; auto: when the binary knows DATABASE_READ_URL), SCALE_WRK_CONNECTIONS
# (8), SCALE_WRK_DELAY_MS (20), SCALE_PY_THREADS (4), SCALE_WARMUP_SECS (10),
# SCALE_REPLICA_DELAY_MS (200: the replica applies each commit that late, so
# that a read sent to it by mistake right after a write is seen stale; 0: the
# replica's own lag, a few milliseconds on loopback, which hides such reads).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

DIR="$DATA/scale"
PG_BIN="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
PG_PRIMARY_PORT=55430
PG_REPLICA_PORT=55431
REDIS_PORT=63810
SMTP_PORT=2541
LB_PORT=3410
REPLICA_PORTS=(3411 3412 3413)
METRICS_PORTS=(9411 9412 9413)
WORKER_METRICS_PORTS=(9414 9415)
STATS_PORT=3419
DOCKER_PORT=3414
BASE="http://127.0.0.1:$LB_PORT"
BIN="$CARGO_TARGET_DIR/release/passerelle"
WRK_CONNECTIONS="${SCALE_WRK_CONNECTIONS:-8}"
PY_THREADS="${SCALE_PY_THREADS:-4}"
WARMUP="${SCALE_WARMUP_SECS:-10}"
export SCALE_REPLICA_DELAY_MS="${SCALE_REPLICA_DELAY_MS:-200}"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%N | cut -c1-14; }
# since T: seconds from epoch time T to now, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# phase NAME: from now on, what happens belongs to NAME (the report's rows).
phase() { echo "$1 $(now)" >>"$DIR/phases.txt"; say "Phase: $1"; }

# ---------------------------------------------------------------- tools
command -v haproxy >/dev/null || {
  say "Installing HAProxy (apt)"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y -qq haproxy >/dev/null || die "HAProxy is missing: apt-get install haproxy"
}
command -v wrk >/dev/null || {
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y -qq wrk >/dev/null || die "wrk is missing: apt-get install wrk"
}
[ -n "$PG_BIN" ] || die "PostgreSQL server not found: run 'make setup'."
command -v redis-server >/dev/null || die "redis-server not found: run 'make setup'."
[ -d node_modules/smtp-server ] || die "npm packages missing: run 'make setup'."

for port in $PG_PRIMARY_PORT $PG_REPLICA_PORT $REDIS_PORT $SMTP_PORT $LB_PORT "${REPLICA_PORTS[@]}" \
  "${METRICS_PORTS[@]}" "${WORKER_METRICS_PORTS[@]}" $STATS_PORT; do
  port_busy "$port" && die "Port $port is in use: the scale test needs 3410-3419, 9411-9415, 55430-55431, 63810 and 2541."
done

if [ -z "${SCALE_SKIP_BUILD:-}" ]; then
  scripts/setup.sh
  say "Release build (cargo leptos build --release --split --precompress)"
  mkdir -p "$DATA"
  cargo leptos build --release --split --precompress >"$DATA/scale-build.log" 2>&1 || die "release build failed: see .data/scale-build.log"
fi
[ -x "$BIN" ] || die "No release binary at $BIN: run without SCALE_SKIP_BUILD."

# ---------------------------------------------------------------- cleanup
PIDS=()      # every process started here, stopped on exit
declare -A REPLICA_PID WORKER_PID
cleanup() {
  local code=$?
  set +e
  [ -f "$DIR/load/stop" ] || touch "$DIR/load/stop" 2>/dev/null
  for pid in "${PIDS[@]}" "${REPLICA_PID[@]}" "${WORKER_PID[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${PIDS[@]}" "${REPLICA_PID[@]}" "${WORKER_PID[@]}"; do kill -9 "$pid" 2>/dev/null; done
  [ -n "${CONTAINER:-}" ] && docker rm -f "$CONTAINER" >/dev/null 2>&1
  [ -f "$DIR/redis/redis.pid" ] && kill "$(cat "$DIR/redis/redis.pid")" 2>/dev/null
  for cluster in primary replica; do
    [ -f "$DIR/pg-$cluster/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg-$cluster" -m immediate stop >/dev/null 2>&1
  done
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$DIR"
mkdir -p "$DIR/load" "$DIR/logs" "$DIR/redis" "$DIR/uploads" "$DIR/mail"
: >"$DIR/phases.txt"

# ---------------------------------------------------------------- PostgreSQL
say "PostgreSQL primary on 127.0.0.1:$PG_PRIMARY_PORT"
mkdir -p "$DIR/pg-primary" "$DIR/pg-logs"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR/pg-primary" "$DIR/pg-logs"
as_pg "$PG_BIN/initdb" -D "$DIR/pg-primary" -U passerelle --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/logs/initdb.log" 2>&1 ||
  die "initdb failed: see $DIR/logs/initdb.log"
cat >>"$DIR/pg-primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
max_connections = 300
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
# The database engine is not what this test kills: spare the disk.
fsync = off
EOF
echo "host replication passerelle 127.0.0.1/32 trust" >>"$DIR/pg-primary/pg_hba.conf"
as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg-primary" -l "$DIR/pg-logs/primary.log" -w -t 30 -o "-p $PG_PRIMARY_PORT" start >/dev/null ||
  die "PostgreSQL did not start: see $DIR/pg-logs/primary.log"
PRIMARY_URL="postgres://passerelle@127.0.0.1:$PG_PRIMARY_PORT/passerelle"
READ_URL="postgres://passerelle@127.0.0.1:$PG_REPLICA_PORT/passerelle"
psql -X -q "postgres://passerelle@127.0.0.1:$PG_PRIMARY_PORT/postgres" -c "CREATE DATABASE passerelle" >/dev/null

# ---------------------------------------------------------------- Redis, mail
say "Redis on 127.0.0.1:$REDIS_PORT (append-only file: sessions survive a restart)"
start_redis() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --daemonize yes \
    --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/logs/redis.log" --appendonly yes --appendfsync everysec ||
    die "Redis did not start: see $DIR/logs/redis.log"
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  die "Redis did not answer: see $DIR/logs/redis.log"
}
start_redis
say "SMTP sink on 127.0.0.1:$SMTP_PORT (mail in $DIR/mail)"
PORT="$SMTP_PORT" MAIL_DIR="$DIR/mail" node scripts/smtp-sink.mjs >"$DIR/logs/smtp-sink.log" 2>&1 &
PIDS+=($!)

# ---------------------------------------------------------------- the app's settings
# One secret for all replicas: a session or a token made by one is read by all.
export DATABASE_URL="$PRIMARY_URL" DATABASE_READ_URL="$READ_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
  SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" PUBLIC_BASE_URL="$BASE" SITE_ROOT="$ROOT/target/site" \
  STORAGE_LOCAL_DIR="$DIR/uploads" SESSION_KEY="$(head -c 48 /dev/urandom | base64 -w0)$(head -c 48 /dev/urandom | base64 -w0)" \
  DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  TRUSTED_PROXIES=127.0.0.1/32 LOG_FORMAT=json RUST_LOG="${RUST_LOG:-info}" \
  WORKER_INTERVAL_SECS=0 SHUTDOWN_DRAIN_SECS=2 SHUTDOWN_GRACE_SECS=10 \
  AUTH_RATE_BURST=100000 API_RATE_BURST=1000000 API_RATE_PER_MINUTE=1000000 \
  API_CLIENT_RATE_BURST=1000000 API_CLIENT_RATE_PER_MINUTE=1000000

say "Demo data on the primary (passerelle seed --demo)"
"$BIN" seed --demo >"$DIR/logs/seed.log" 2>&1 || die "seed failed: see $DIR/logs/seed.log"

# ---------------------------------------------------------------- the replica
say "PostgreSQL streaming replica on 127.0.0.1:$PG_REPLICA_PORT (pg_basebackup -R, commits applied ${SCALE_REPLICA_DELAY_MS} ms late)"
mkdir -p "$DIR/pg-replica"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR/pg-replica"
chmod 700 "$DIR/pg-replica"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U passerelle -D "$DIR/pg-replica" -R -X stream -c fast \
  >"$DIR/logs/basebackup.log" 2>&1 || die "pg_basebackup failed: see $DIR/logs/basebackup.log"
# hot_standby_feedback: the primary keeps the row versions the replica's
# queries still read. Without it, replaying the clean-up of an offer's old
# versions cancels them ("conflict with recovery", a 500): at once once the
# delayed replay is 30 s (max_standby_streaming_delay) past the last wait.
as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg-replica" -l "$DIR/pg-logs/replica.log" -w -t 60 \
  -o "-p $PG_REPLICA_PORT -c recovery_min_apply_delay=${SCALE_REPLICA_DELAY_MS}ms -c hot_standby_feedback=on" start >/dev/null ||
  die "The replica did not start: see $DIR/pg-logs/replica.log"
for _ in $(seq 100); do
  state=$(psql -X -At "$PRIMARY_URL" -c "SELECT state FROM pg_stat_replication LIMIT 1")
  [ "$state" = streaming ] && break
  sleep 0.1
done
[ "$state" = streaming ] || die "The replica is not streaming (pg_stat_replication: '${state:-nothing}')."
[ "$(psql -X -At "$READ_URL" -c "SELECT pg_is_in_recovery()")" = t ] || die "The replica is not in recovery."
echo "  pg_stat_replication: streaming, replica in recovery (read-only)"

# ---------------------------------------------------------------- replicas and workers
# start_replica N: `passerelle serve` number N (1-3), its log appended to.
start_replica() {
  local n=$1 port=${REPLICA_PORTS[$(($1 - 1))]} metrics=${METRICS_PORTS[$(($1 - 1))]}
  LISTEN_ADDR="127.0.0.1:$port" METRICS_LISTEN_ADDR="127.0.0.1:$metrics" \
    "$BIN" serve >>"$DIR/logs/replica-$n.log" 2>&1 &
  REPLICA_PID[$n]=$!
}
# ready N: waits until replica N's /readyz answers 200 (30 s at most).
ready() {
  local port=${REPLICA_PORTS[$(($1 - 1))]}
  for _ in $(seq 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && return 0
    kill -0 "${REPLICA_PID[$1]}" 2>/dev/null || { tail -n 20 "$DIR/logs/replica-$1.log"; die "Replica $1 exited (log above)."; }
    sleep 0.1
  done
  die "Replica $1 is not ready after 30 s: see $DIR/logs/replica-$1.log"
}
say "Three replicas (passerelle serve) on ${REPLICA_PORTS[*]}, metrics on ${METRICS_PORTS[*]}"
for n in 1 2 3; do start_replica $n; done
for n in 1 2 3; do ready $n; done
say "Two workers (passerelle worker, a tick every 2 s)"
for n in 1 2; do
  WORKER_INTERVAL_SECS=2 METRICS_LISTEN_ADDR="127.0.0.1:${WORKER_METRICS_PORTS[$(($n - 1))]}" \
    "$BIN" worker >"$DIR/logs/worker-$n.log" 2>&1 &
  WORKER_PID[$n]=$!
done

# ---------------------------------------------------------------- HAProxy
say "HAProxy on $BASE (stats on http://127.0.0.1:$STATS_PORT/stats)"
SCALE_DIR="$DIR" SCALE_HAPROXY_PORT=$LB_PORT SCALE_STATS_PORT=$STATS_PORT SCALE_R1=${REPLICA_PORTS[0]} \
  SCALE_R2=${REPLICA_PORTS[1]} SCALE_R3=${REPLICA_PORTS[2]} \
  haproxy -c -q -f scale/haproxy.cfg || die "scale/haproxy.cfg is not valid (above)."
SCALE_DIR="$DIR" SCALE_HAPROXY_PORT=$LB_PORT SCALE_STATS_PORT=$STATS_PORT SCALE_R1=${REPLICA_PORTS[0]} \
  SCALE_R2=${REPLICA_PORTS[1]} SCALE_R3=${REPLICA_PORTS[2]} \
  haproxy -db -f scale/haproxy.cfg >"$DIR/haproxy.log" 2>"$DIR/logs/haproxy.err" &
PIDS+=($!)
# lb_state N: replica N's state as HAProxy sees it (UP, DOWN, "UP 1/2"…).
lb_state() {
  curl -fs "http://127.0.0.1:$STATS_PORT/stats;csv" 2>/dev/null | awk -F, -v s="r$1" '$1 == "passerelle" && $2 == s { print $18 }'
}
# lb_wait N STATE: until HAProxy sees replica N in STATE (30 s at most).
lb_wait() {
  for _ in $(seq 300); do [ "$(lb_state "$1")" = "$2" ] && return 0; sleep 0.1; done
  die "HAProxy does not see replica $1 $2 after 30 s (it says '$(lb_state "$1")')."
}
for n in 1 2 3; do lb_wait $n UP; done
curl -fs -o /dev/null "$BASE/readyz" || die "Nothing answers through HAProxy."

# ---------------------------------------------------------------- what the load uses
say "Preparing the load"
q() { psql -X -At "$PRIMARY_URL" -c "$1"; }
OFFER=$(q "SELECT slug FROM job_offers WHERE status = 'published' ORDER BY id LIMIT 1")
TRAINING=$(q "SELECT slug FROM trainings WHERE status = 'published' ORDER BY id LIMIT 1" 2>/dev/null || true)
[ -n "$TRAINING" ] || TRAINING=$(curl -fs "$BASE/formations" | grep -o 'href="/formations/[a-z0-9-]*"' | head -n 1 | sed 's/href="\(.*\)"/\1/;s|/formations/||')
[ -n "$OFFER" ] && [ -n "$TRAINING" ] || die "No published offer or training in the demo data."
cat >"$DIR/load/paths.txt" <<EOF
/
/offres
/offres?q=soudeur&contrat=cdi
/offres/$OFFER
/formations
/formations?q=developpeur
/formations/$TRAINING
/blog
/offres?q=comptable
/api/v1/offres?q=technicien
EOF
# And searches of words from the titles, so that not every search is cached.
q "SELECT DISTINCT w FROM (SELECT lower(split_part(title, ' ', 1)) w FROM job_offers) t WHERE w ~ '^[a-z]{4,}$' LIMIT 40" |
  sed 's|.*|/offres?q=&|' >>"$DIR/load/paths.txt"
q "SELECT DISTINCT w FROM (SELECT lower(split_part(title, ' ', 2)) w FROM trainings) t WHERE w ~ '^[a-z]{4,}$' LIMIT 40" |
  sed 's|.*|/formations?q=&|' >>"$DIR/load/paths.txt"
for path in $(head -n 10 "$DIR/load/paths.txt"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
  [ "$code" = 200 ] || die "$path answers $code through HAProxy."
done
q "SELECT id FROM job_offers WHERE status = 'published' ORDER BY id LIMIT 40" >"$DIR/load/offers.txt"
# The demo candidates (all share the demo password), one per thread, their
# alerts emptied so that each can create up to 20.
q "SELECT email FROM users WHERE role = 'candidate' AND email_verified_at IS NOT NULL AND suspended_at IS NULL
   ORDER BY id LIMIT $PY_THREADS" >"$DIR/load/candidates.txt"
q "DELETE FROM saved_searches WHERE user_id IN (SELECT id FROM users WHERE email IN ($(sed "s/.*/'&'/" "$DIR/load/candidates.txt" | paste -sd,)))" >/dev/null
APP=$(q "SELECT client_id || ' ' || redirect_uris[1] FROM oauth_apps WHERE revoked_at IS NULL ORDER BY id LIMIT 1")
[ -n "$APP" ] || die "No OAuth app in the demo data."
# Mail for the workers: confirmed subscribers, one newsletter issue queued per
# phase (one job, hence one e-mail, each); the sink must get each once.
q "INSERT INTO newsletter_subscribers (email, confirmed_at)
   SELECT 'scale-' || n || '@exemple.fr', now() FROM generate_series(1, 60) n" >/dev/null
queue_mail() { # queue_mail PHASE: an issue to every scale-… subscriber
  q "WITH issue AS (INSERT INTO newsletter_issues (subject, body, recipients)
       VALUES ('Essai de charge : $1', 'Lettre envoyée pendant la phase $1 du test de montée en charge.', 60) RETURNING id)
     INSERT INTO background_jobs (kind, payload, dedupe_key)
     SELECT 'newsletter', jsonb_build_object('issue', issue.id, 'subscriber', s.id), 'newsletter:' || issue.id || ':' || s.id
     FROM issue, newsletter_subscribers s WHERE s.email LIKE 'scale-%'" >/dev/null
}

# Database statistics, per phase: transactions and rows read on each server.
pg_stats() {
  local primary replica
  primary=$(psql -X -At -F ' ' "$PRIMARY_URL" -c "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'passerelle'")
  replica=$(psql -X -At -F ' ' "$READ_URL" -c "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'passerelle'")
  echo "$1 $(now) $primary $replica" >>"$DIR/pg-stats.txt"
}

# ---------------------------------------------------------------- load
say "Load: wrk (${WRK_CONNECTIONS} connections, public pages) and scale/load.py ($PY_THREADS signed-in candidates, a recruiter)"
# shellcheck disable=SC2086 # the app's client_id and redirect URI
python3 scale/load.py "$BASE" "$DIR/load" "$PY_THREADS" $APP <"$DIR/load/candidates.txt" >"$DIR/logs/load.log" 2>&1 &
LOAD_PID=$!
PIDS+=($LOAD_PID)
for _ in $(seq 600); do
  [ -f "$DIR/load/ready" ] && break
  kill -0 $LOAD_PID 2>/dev/null || { cat "$DIR/logs/load.log"; die "The signed-in load did not start (above)."; }
  sleep 0.1
done
[ -f "$DIR/load/ready" ] || die "The signed-in load is not ready after 60 s: see $DIR/logs/load.log"
SCALE_PATHS="$DIR/load/paths.txt" SCALE_WRK_OUT="$DIR/load/wrk.json" SCALE_WRK_DELAY_MS="${SCALE_WRK_DELAY_MS:-20}" \
  wrk -t2 -c"$WRK_CONNECTIONS" -d600s --timeout 10s -s scale/public.lua "$BASE" >"$DIR/logs/wrk.log" 2>&1 &
WRK_PID=$!
PIDS+=($WRK_PID)

# ---------------------------------------------------------------- phases
phase warmup
pg_stats warmup
queue_mail warmup
sleep "$WARMUP"

phase rolling
pg_stats rolling
queue_mail rolling
for n in 1 2 3; do
  kill -TERM "${REPLICA_PID[$n]}"
  started=$(now)
  lb_wait $n DOWN
  down=$(since "$started")
  code=0
  wait "${REPLICA_PID[$n]}" || code=$?
  exited=$(since "$started")
  restarted=$(now)
  start_replica $n
  ready $n
  lb_wait $n UP
  echo "  replica $n: out of HAProxy ${down} s after SIGTERM, exited after ${exited} s (code $code), back UP $(since "$restarted") s after its start"
  sleep 2
done

phase sigkill
pg_stats sigkill
queue_mail sigkill
sleep 2
kill -KILL "${REPLICA_PID[2]}"
killed=$(now)
wait "${REPLICA_PID[2]}" 2>/dev/null || true
lb_wait 2 DOWN
echo "  replica 2 killed; HAProxy saw it DOWN after $(since "$killed") s"
sleep 2
start_replica 2
ready 2
lb_wait 2 UP
sleep 3

phase redis
pg_stats redis
queue_mail redis
redis_pid=$(cat "$DIR/redis/redis.pid")
stopped=$(now)
redis-cli -p "$REDIS_PORT" shutdown save >/dev/null 2>&1 || true
for _ in $(seq 100); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.05; done
start_redis
echo "  Redis down for $(since "$stopped") s (shutdown save, started again on its append-only file)"
sleep 8

phase calm
pg_stats calm
sleep 5

phase end
pg_stats end
say "Stopping the load"
touch "$DIR/load/stop"
kill -INT $WRK_PID 2>/dev/null || true
wait $WRK_PID || true
[ -s "$DIR/load/wrk.json" ] || { cat "$DIR/logs/wrk.log"; die "wrk stopped early (above)."; }
wait $LOAD_PID || { cat "$DIR/logs/load.log"; die "The signed-in load failed (above)."; }
# Workers finish what is queued before the count.
for _ in $(seq 100); do
  [ "$(q "SELECT count(*) FROM background_jobs WHERE kind = 'newsletter' AND done_at IS NULL")" = 0 ] && break
  sleep 0.2
done
# The replica's view must have caught up before reading it.
for _ in $(seq 100); do
  lag=$(psql -X -At "$PRIMARY_URL" -c "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0) FROM pg_stat_replication LIMIT 1")
  [ "${lag%.*}" = 0 ] && break
  sleep 0.1
done

# ---------------------------------------------------------------- Docker
DOCKER_LINE=""
if docker info >/dev/null 2>&1; then
  say "Docker: building the image and starting it against this stack"
  if docker build -q -t passerelle:scale-test . >"$DIR/logs/docker-build.log" 2>&1; then
    CONTAINER=passerelle-scale-test
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
    docker run -d --name "$CONTAINER" --network host --read-only --tmpfs /tmp --tmpfs /app/data \
      -e DATABASE_URL -e DATABASE_READ_URL -e REDIS_URL -e SMTP_URL -e PUBLIC_BASE_URL -e SESSION_KEY \
      -e DATA_ENCRYPTION_KEY -e WORKER_INTERVAL_SECS -e LISTEN_ADDR="127.0.0.1:$DOCKER_PORT" \
      passerelle:scale-test >/dev/null 2>"$DIR/logs/docker-run.log"
    for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$DOCKER_PORT/readyz" && break; sleep 0.1; done
    if curl -fs -o /dev/null "http://127.0.0.1:$DOCKER_PORT/readyz"; then
      DOCKER_LINE="Docker : image construite, conteneur prêt (/readyz 200) sur 127.0.0.1:$DOCKER_PORT"
    else
      docker logs "$CONTAINER" >"$DIR/logs/docker-container.log" 2>&1
      DOCKER_LINE="FAIL Docker : le conteneur ne répond pas sur /readyz (voir $DIR/logs/docker-container.log)"
    fi
  else
    DOCKER_LINE="FAIL Docker : la construction de l'image a échoué (voir $DIR/logs/docker-build.log)"
  fi
else
  DOCKER_LINE="Docker : aucun moteur de conteneurs (docker info a échoué) — image non construite"
fi

# ---------------------------------------------------------------- report
CHECK_SHARE="${SCALE_CHECK_READ_SHARE:-auto}"
if [ "$CHECK_SHARE" = auto ]; then
  if grep -q DATABASE_READ_URL "$BIN"; then CHECK_SHARE=1; else CHECK_SHARE=0; fi
fi
say "Report"
python3 scale/report.py "$DIR" "$PRIMARY_URL" "$WRK_CONNECTIONS" "$PY_THREADS" "$CHECK_SHARE" "$DOCKER_LINE"
