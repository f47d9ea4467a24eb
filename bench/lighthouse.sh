#!/usr/bin/env bash
# Lighthouse (mobile, simulated slow 4G and 4× CPU slowdown) on the landing
# page, the blog, an article, the catalogue and a training, against the
# release build on seeded data.
# Prints the four category scores per page; full reports in .data/lighthouse/.
#   make lighthouse
source "$(dirname "$0")/server.sh"

LH_VERSION=12.8.2 # the newest that runs on Node 20
LH="$TOOLS/lighthouse/node_modules/.bin/lighthouse"
if ! [ -x "$LH" ] || ! "$LH" --version | grep -qx "$LH_VERSION"; then
  say "Installing Lighthouse $LH_VERSION (once; cached in $TOOLS)"
  npm install --no-audit --no-fund --prefix "$TOOLS/lighthouse" "lighthouse@$LH_VERSION" >"$CACHE/install-lighthouse.log" 2>&1 \
    || die "npm install lighthouse failed: see $CACHE/install-lighthouse.log"
fi
[ -x /usr/bin/chromium ] || die "Chromium is missing: run 'make setup'."

OUT="$DATA/lighthouse"
mkdir -p "$OUT"
echo
echo "Lighthouse $LH_VERSION, mobile; machine: $(nproc) cores"
printf '%-60s %12s %14s %15s %5s\n' "page" "performance" "accessibility" "best-practices" "seo"
# The first training the catalogue lists.
TRAINING="$(curl -fs "$BASE/formations" | grep -o 'href="/formations/[a-z0-9-]*"' | head -n 1 | sed 's/href="\(.*\)"/\1/')"
[ -n "$TRAINING" ] || die "No training found on /formations."
OFFER="$(curl -fs "$BASE/offres" | grep -o 'href="/offres/[a-z0-9-]*"' | head -n 1 | sed 's/href="\(.*\)"/\1/')"
[ -n "$OFFER" ] || die "No offer found on /offres."
for path in "/" "/blog" "$ARTICLE" "/formations" "$TRAINING" "/offres" "$OFFER"; do
  name=$(echo "$path" | tr '/' '_')
  CHROME_PATH=/usr/bin/chromium "$LH" "$BASE$path" --quiet --output=json --output-path="$OUT/report$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run" \
    || die "Lighthouse failed on $path"
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => r.categories[k].score === null ? "n/a" : Math.round(r.categories[k].score * 100);
    console.log(process.argv[2].padEnd(60), String(s("performance")).padStart(12), String(s("accessibility")).padStart(14),
      String(s("best-practices")).padStart(15), String(s("seo")).padStart(5));
    for (const [id, a] of Object.entries(r.audits))
      if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
        console.log("    below 0.9:", id, a.displayValue ?? "");
  ' "$OUT/report$name.json" "$path"
done
