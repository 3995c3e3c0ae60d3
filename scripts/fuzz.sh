#!/usr/bin/env bash
# Fuzzes every reader of outside files with libFuzzer, SECONDS each (default
# 60), from seeds the test suite makes: packages, glossary CSV/XLSX/TBX,
# TMX, air-log CSV and audio. Prints inputs tried and crashes per target and
# writes the table to fuzz/last-run.md. Not part of .ci/run (see README).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(package_reader glossary_csv glossary_xlsx tbx tmx airlog_csv audio_decode)
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
corpus="$PWD/fuzz/corpus"
mkdir -p "$corpus/package_reader"
# Seeds: real files (good and forged) written by the core's own tests.
LOA_FUZZ_SEEDS="$corpus/package_reader" cargo test -q -p loa-core --test package write_fuzz_seeds
LOA_FUZZ_SEEDS="$corpus" cargo test -q -p loa-core --test fuzz_seeds
if rustup toolchain list | grep -q nightly; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi
report="fuzz/last-run.md"
{
  echo "| target | seconds | inputs tried | crashes |"
  echo "|---|---|---|---|"
} >"$report"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t"
  log="$(mktemp)"
  set +e
  "${fuzz[@]}" run "$t" "$corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=1024 -timeout=20 2>&1 | tee "$log" | grep -E "^(Done|==|SUMMARY)" || true
  code=${PIPESTATUS[0]}
  set -e
  runs=$(grep -oE "Done [0-9]+ runs" "$log" | grep -oE "[0-9]+" | tail -1 || true)
  # A crash stops the run before its "Done" line: count what it had tried.
  [ -n "$runs" ] || runs=$(grep -oE "^#[0-9]+" "$log" | tr -d '#' | tail -1 || true)
  crashes=0
  [ "$code" -eq 0 ] || { crashes=1; status=1; }
  echo "| $t | $secs | ${runs:-?} | $crashes |" >>"$report"
  rm -f "$log"
done
cat "$report"
exit $status
