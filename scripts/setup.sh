#!/usr/bin/env bash
# Installs what `make dev` and `make test` need, skipping whatever is
# already there. Tools go to the cache outside the clone ($CACHE/tools).
#   scripts/setup.sh          # build tools, npm packages, database servers
#   scripts/setup.sh browser  # the same, plus what make test needs (Chromium, Schemathesis, the deploy/ checks)
#   scripts/setup.sh ops      # the same, plus the deploy/ checks' tools only
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }
need cargo "install Rust with rustup (https://rustup.rs)."
need rustup "install Rust with rustup (https://rustup.rs), not a distribution package."
need npm "install Node.js 20 or newer with npm."

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  say "Installing with apt: $*"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"; } >"$CACHE/apt.log" 2>&1 \
    || die "apt-get install $* failed: see $CACHE/apt.log (or install them yourself)."
}

mkdir -p "$TOOLS" "$DATA"

# Database servers, unless the URLs point elsewhere.
missing=()
if [ -z "${DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql postgresql-contrib)
fi
if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then missing+=(redis-server); fi
if [ "${1:-}" = browser ] && ! [ -x /usr/bin/chromium ]; then missing+=(chromium); fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || die "rustup target add wasm32-unknown-unknown failed."
fi

cargo_tool() { # binary version crate [install args…]
  local bin=$1 version=$2 crate=$3; shift 3
  if "$TOOLS/bin/$bin" --version 2>/dev/null | grep -q "$version"; then return; fi
  say "Installing $crate $version (once; cached in $TOOLS)"
  cargo install "$crate" --version "$version" --root "$TOOLS" "$@" >"$CACHE/install-$crate.log" 2>&1 \
    || die "cargo install $crate $version failed: see $CACHE/install-$crate.log"
}

cargo_tool cargo-leptos 0.3.10 cargo-leptos --locked
# wasm-bindgen-cli must match the wasm-bindgen that Cargo.lock pins.
wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
[ -n "$wb_version" ] || die "wasm-bindgen not found in Cargo.lock."
cargo_tool wasm-bindgen "$wb_version" wasm-bindgen-cli
cargo_tool sqlx 0.8.6 sqlx-cli --locked --no-default-features --features postgres,rustls

# npm packages (Tailwind, wasm-opt, Playwright), again only when the lock changed.
stamp="node_modules/.package-lock.stamp"
if ! [ -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "Installing npm packages"
  npm ci --no-audit --no-fund >"$CACHE/npm.log" 2>&1 || die "npm ci failed: see $CACHE/npm.log"
  cp package-lock.json "$stamp"
fi

# Python tools for the tests, each in its own virtualenv in the cache.
python_tool() { # virtualenv import-check pip-spec description
  local venv=$1 check=$2 spec=$3 what=$4
  "$venv/bin/python" -c "$check" >/dev/null 2>&1 && return 0
  say "Installing $what (once; cached in $TOOLS)"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    apt_install python3-venv
    python3 -m venv "$venv" || die "python3 -m venv failed."
  fi
  "$venv/bin/pip" install --quiet "$spec" >"$CACHE/install-${venv##*/}.log" 2>&1 \
    || die "pip install $spec failed: see $CACHE/install-${venv##*/}.log"
}
python_tool "$MOTO_VENV" 'import moto.server' 'moto[server]==5.*' 'the S3 test server (moto)'
# The checks of deploy/ (make test, or `setup.sh ops` for them alone):
# the manifest validator, and promtool for the alert rules.
if [ "${1:-}" = browser ] || [ "${1:-}" = ops ]; then
  python_tool "$TOOLS/kubernetes-validate" 'import kubernetes_validate.version as v; assert v.__version__ == "1.37.0"' 'kubernetes-validate==1.37.0' 'the Kubernetes manifest validator (kubernetes-validate)'
  command -v promtool >/dev/null || apt_install prometheus
fi
if [ "${1:-}" = browser ]; then
  python_tool "$SCHEMATHESIS_VENV" 'import schemathesis' 'schemathesis==4.32.5' 'the API contract tester (Schemathesis)'
fi
