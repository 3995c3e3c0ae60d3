#!/usr/bin/env bash
# Fuzzes the package reader with libFuzzer for N seconds (default 60), from
# seeds made by the test suite's package builder. Not part of .ci/run: it
# needs cargo-fuzz and a nightly toolchain (or RUSTC_BOOTSTRAP on stable).
#   scripts/fuzz-package.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
corpus=fuzz/corpus/package_reader
mkdir -p "$corpus"
# Seeds: real packages (good and forged) written by the core's tests.
LOA_FUZZ_SEEDS="$PWD/$corpus" cargo test -q -p loa-core --test package write_fuzz_seeds
if rustup toolchain list | grep -q nightly; then
  cargo +nightly fuzz run package_reader "$corpus" -- -max_total_time="$secs" -rss_limit_mb=1024
else
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none package_reader "$corpus" -- -max_total_time="$secs" -rss_limit_mb=1024
fi
