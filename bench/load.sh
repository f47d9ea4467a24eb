# Sourced by the load benchmarks (catalogue.sh, jobs.sh): wrk's settings and
# wrk itself, the server on seeded data (server.sh), and the steps both take.
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq wrk >/dev/null; } \
  || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"

# seeding WHAT, then the seed command, then seeded: times the seed and
# refreshes the planner's statistics for the new rows.
seeding() {
  say "Seeding $1"
  seed_start=$(date +%s)
}
seeded() {
  echo "  seeded in $(( $(date +%s) - seed_start )) s"
  psql -q "$DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null
}

# load PATH [wrk options…]: wrk on $BASE$PATH; sets rps, p50, p99 and errors
# (wrk's lines about non-2xx answers or socket errors, if any).
load() {
  local path=$1 out
  shift
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Encoding: br' "$@" "$BASE$path")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
}

# extract FILE REGEX: the first group of REGEX in FILE (a statement the
# server runs, taken from its source so the EXPLAIN is of that very one).
extract() {
  python3 - "$@" <<'EOF_PY'
import re, sys
path, pattern = sys.argv[1], sys.argv[2]
source = open(path).read()
print(re.search(pattern, source, re.S).group(1))
EOF_PY
}

# explain TITLE TYPES SQL ARGS: EXPLAIN (ANALYZE, BUFFERS) of SQL prepared
# with TYPES and run with ARGS.
explain() {
  echo
  echo "EXPLAIN ANALYZE: $1"
  psql -X -q "$DATABASE_URL" <<SQL | grep -v '^$'
PREPARE statement($2) AS $3;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE statement($4);
SQL
}
