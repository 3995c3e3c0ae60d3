#!/usr/bin/env bash
# The whole suite (`make test`) on a machine that is not idle: once with one
# core kept busy beside it by stress-ng, once confined to a single core with
# taskset. Every wait in the tests is for the work's own end (issue 28), so
# both must pass; each run's wall time is printed for README.
#   scripts/test-under-load.sh          both runs
#   scripts/test-under-load.sh busy     one core busy beside the suite
#   scripts/test-under-load.sh one-core the suite on CPU 0 alone
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("${@:-busy one-core}")
# shellcheck disable=SC2206
modes=(${modes[*]})

scripts/setup.sh load

stress_pid=""
stop_stress() {
  if [ -n "$stress_pid" ]; then
    kill "$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
    stress_pid=""
  fi
}
trap stop_stress EXIT

summary=()
for mode in "${modes[@]}"; do
  start=$(date +%s)
  case "$mode" in
    busy)
      # One worker spinning on matrix products: a core taken for the
      # whole run, as by a second build or another program.
      stress-ng --cpu 1 --cpu-method matrixprod --quiet &
      stress_pid=$!
      echo "==> make test beside stress-ng --cpu 1 (pid $stress_pid) on $(nproc) cores"
      make test
      stop_stress
      ;;
    one-core)
      echo "==> make test under taskset -c 0 (one core)"
      taskset -c 0 make test
      ;;
    *)
      echo "unknown mode '$mode' (busy, one-core)" >&2
      exit 2
      ;;
  esac
  took=$(($(date +%s) - start))
  summary+=("$mode: passed in $((took / 60)) min $((took % 60)) s")
done
printf '%s\n' "${summary[@]}"
