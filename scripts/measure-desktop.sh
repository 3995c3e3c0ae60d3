#!/usr/bin/env bash
# The desktop app's start-up and idle-memory figures for README, on the
# release build with the demo data under Xvfb (1366×768):
# - first paint: from the process's start to the first frame the window
#   paints with its data (the UI reports it; LOA_STARTUP_TRACE prints it),
#   and the wall clock from launch to that line, over RUNS cold launches;
# - memory: PSS summed over the app and every process it started (the
#   WebKit web and network processes), after IDLE seconds at rest.
# Usage: scripts/measure-desktop.sh [RUNS] [IDLE]  (default 5 and 10)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/loa-studio/target}"
if [ "${1:-}" != --inside ]; then
  (cd ui && npm run build >/dev/null)
  cargo build --release -p loa-studio -p loa-cli >&2
  exec xvfb-run -a -s "-screen 0 1366x768x24" "$0" --inside "$@"
fi
shift
runs="${1:-5}" idle="${2:-10}"
bin="$CARGO_TARGET_DIR/release"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$bin/loa" --data-dir "$data" init --demo >/dev/null

# Every process below $1.
tree() {
  local p
  echo "$1"
  for p in $(ps -o pid= --ppid "$1"); do tree "$p"; done
}

measure() {
  local log="$data/stderr" start end pid ms pss=0 p v
  : >"$log"
  start=$(date +%s%N)
  LOA_DATA_DIR="$data" LOA_STARTUP_TRACE=1 "$bin/loa-studio" 2>"$log" &
  pid=$!
  for _ in $(seq 300); do grep -q "first paint" "$log" && break; sleep 0.02; done
  end=$(date +%s%N)
  ms=$(sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  [ -n "$ms" ] || { echo "no first paint: $(cat "$log")" >&2; kill "$pid"; exit 1; }
  echo "first paint ${ms} ms in the app, $(((end - start) / 1000000)) ms from launch"
  if [ "$1" = memory ]; then
    sleep "$idle"
    for p in $(tree "$pid"); do
      v=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
      [ -n "$v" ] || continue
      printf '  %6d MB  %s\n' $((v / 1024)) "$(ps -o comm= -p "$p")"
      pss=$((pss + v))
    done
    echo "idle PSS of all the app's processes: $((pss / 1024)) MB"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

for i in $(seq "$runs"); do
  what=time
  [ "$i" = "$runs" ] && what=memory
  measure "$what"
done
