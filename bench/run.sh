#!/usr/bin/env bash
# Load test of the release binary on seeded data (`make bench`).
# Prints requests/s and p50/p99 latency for each page, the server's memory,
# and the size of the hydrate bundle (raw, gzip, brotli).
#   DURATION=15s CONNECTIONS=32 bench/run.sh
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq wrk >/dev/null; } \
  || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source "$(dirname "$0")/server.sh"
PATHS=("/" "/mentions-legales" "/blog" "$ARTICLE" "/blog/feed.xml")

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; wrk ${DURATION}, ${CONNECTIONS} connections, 2 threads, same machine"
printf '%-50s %12s %10s %10s\n' "page" "requests/s" "p50" "p99"
for path in "${PATHS[@]}"; do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT$path" || die "$path does not answer 200"
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Encoding: br' "http://127.0.0.1:$PORT$path")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
  printf '%-50s %12s %10s %10s %s\n' "$path" "$rps" "$p50" "$p99" "$errors"
done
echo "Server memory after the load (RSS): $(awk '/VmRSS/{print $2/1024 " MiB"}' /proc/$SERVER/status)"

echo
echo "Hydrate bundle (target/site/pkg):"
node -e '
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const dir = process.argv[1];
const kib = (n) => (n / 1024).toFixed(1) + " KiB";
for (const f of fs.readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f)).sort()) {
  const raw = fs.readFileSync(path.join(dir, f));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`  ${f.padEnd(44)} raw ${kib(raw.length).padStart(10)}  gzip ${kib(gz).padStart(9)}  brotli ${kib(br).padStart(9)}`);
}' "$ROOT/target/site/pkg"
