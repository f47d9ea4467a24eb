#!/usr/bin/env bash
# What hanging-up and slow clients cost the release binary (`make bench-robustness`):
#   1. ABORTS (default 5000) renders of /offres cut short by the client, 16 at
#      a time: the server's memory (RSS) and live tasks before, right after,
#      and once things settle;
#   2. 2,000 idle sockets: how long a visitor waits behind them, and how many
#      are still open after the header timeout;
#   3. a request whose headers arrive a byte every 300 ms: when it is cut.
#   ABORTS=5000 bench/robustness.sh
ABORTS="${ABORTS:-5000}"
source "$(dirname "$0")/server.sh"
TOKEN="bench-metrics-token-0123456789abcdef"

rss() { awk '/VmRSS/{printf "%.1f MiB", $2/1024}' "/proc/$SERVER/status"; }
tasks() { curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/metrics" | awk '/^passerelle_tokio_alive_tasks/{print $2}'; }

# The benchmark server reads METRICS_TOKEN from its environment: restart it with one.
kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true
METRICS_TOKEN="$TOKEN" HEADER_READ_TIMEOUT_SECS=5 "$BIN" serve >"$DATA/bench-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

echo
say "Aborted renders of /offres (${ABORTS}, 16 at a time, each cut after 5 to 40 ms)"
for _ in $(seq 50); do curl -fs -o /dev/null "$BASE/offres"; done
echo "  before:        RSS $(rss), live tasks $(tasks)"
seq "$ABORTS" | xargs -P 16 -I{} sh -c \
  'curl -s -o /dev/null --max-time 0.0$(( ({} % 4) + 1 ))5 "'"$BASE"'/offres?q=soudeur&page={}" || true'
echo "  right after:   RSS $(rss), live tasks $(tasks)"
sleep 10
echo "  10 s later:    RSS $(rss), live tasks $(tasks)"
for _ in $(seq 200); do curl -fs -o /dev/null "$BASE/offres"; done
echo "  after 200 more full renders: RSS $(rss), live tasks $(tasks)"

echo
say "2,000 idle sockets, then a visitor (header timeout 5 s)"
node -e '
const net = require("net");
const [host, port] = ["127.0.0.1", Number(process.argv[1])];
const sockets = [];
let closed = 0;
for (let i = 0; i < 2000; i++) {
  const s = net.connect(port, host);
  s.on("error", () => {});
  s.on("close", () => closed++);
  sockets.push(s);
}
setTimeout(() => {
  const started = Date.now();
  const visitor = net.connect(port, host, () => visitor.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  let reply = "";
  visitor.on("data", (d) => (reply += d));
  visitor.on("close", () => {
    console.log(`  visitor answered "${reply.split("\r\n")[0]}" after ${Date.now() - started} ms`);
    setTimeout(() => {
      console.log(`  idle sockets closed by the server 12 s later: ${closed} of 2000`);
      process.exit(0);
    }, 12000);
  });
}, 500);
' "$PORT"

echo
say "Headers sent a byte every 300 ms"
node -e '
const net = require("net");
const started = Date.now();
const s = net.connect(Number(process.argv[1]), "127.0.0.1");
const head = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "x".repeat(200);
let i = 0;
const timer = setInterval(() => { if (i < head.length) s.write(head[i++]); }, 300);
s.on("error", () => {});
s.on("close", () => { clearInterval(timer); console.log(`  cut after ${Date.now() - started} ms (${i} bytes sent)`); process.exit(0); });
setTimeout(() => { console.log("  still open after 60 s"); process.exit(1); }, 60000);
' "$PORT"
