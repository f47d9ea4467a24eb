#!/usr/bin/env bash
# `make bench-bundle`: release build (split, precompressed), then the
# WebAssembly + JavaScript each route downloads before it is interactive,
# brotli 11, grouped by who uses the route. A route downloads the main files
# (runtime, layout, router) and the chunks the split manifest lists for it.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"
scripts/setup.sh
say "Release build (cargo leptos build --release --split --precompress)"
cargo leptos build --release --split --precompress >"$DATA/bench-build.log" 2>&1 ||
  die "release build failed: see .data/bench-build.log"
node bench/bundle.mjs target/site/pkg
