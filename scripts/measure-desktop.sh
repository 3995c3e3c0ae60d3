#!/usr/bin/env bash
# The desktop app's start-up and idle-memory figures for README, on the
# release build with the demo data under Xvfb (1366×768):
# - first paint: from the process's start to the first frame the window
#   paints with its data (the UI reports it; LOA_STARTUP_TRACE prints it),
#   and the wall clock from launch to that line, over RUNS cold launches;
# - memory: PSS summed over the app and every process it started (the
#   WebKit web and network processes), after IDLE seconds at rest, run by
#   run beside the same for the peer, scripts/webkit-peer.py: the same
#   WebKitGTK with the same settings in a bare GTK window of the same size,
#   showing one line of text; medians over RUNS. The difference is what the
#   app itself costs.
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
/usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1")' 2>/dev/null || {
  echo "the peer needs python3-gi and gir1.2-webkit2-4.1 (scripts/setup.sh test installs them)" >&2
  exit 1
}
# The app turns WebKitGTK's GPU compositor off unless this is set (see
# src-tauri/src/desktop.rs); the peer runs as the app does.
export WEBKIT_DISABLE_COMPOSITING_MODE="${WEBKIT_DISABLE_COMPOSITING_MODE:-1}"

# Every process below $1.
tree() {
  local p
  echo "$1"
  for p in $(ps -o pid= --ppid "$1"); do tree "$p"; done
}

# PSS in kB of $1 and every process below it, each printed; the sum last.
pss_tree() {
  local p v sum=0
  for p in $(tree "$1"); do
    v=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    [ -n "$v" ] || continue
    printf '  %6d MB  %s\n' $((v / 1024)) "$(ps -o comm= -p "$p")" >&2
    sum=$((sum + v))
  done
  echo "$sum"
}

# Starts "$@" with its stderr and stdout in $log, waits for the line $1
# matches, and leaves its pid in $started.
start_until() {
  local pattern="$1" i
  shift
  log="$data/out"
  : >"$log"
  "$@" >"$log" 2>&1 &
  started=$!
  for i in $(seq 300); do
    grep -q "$pattern" "$log" && return 0
    sleep 0.02
  done
  echo "no '$pattern' from $1: $(cat "$log")" >&2
  kill "$started"
  exit 1
}

stop() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

# The median of a list of numbers, one per line on stdin.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Each run: the app from a cold launch to rest, then the peer to rest, so
# both see the same machine; the medians are reported.
apps="" peers=""
for i in $(seq "$runs"); do
  begin=$(date +%s%N)
  LOA_DATA_DIR="$data" LOA_STARTUP_TRACE=1 start_until "first paint" "$bin/loa-studio"
  end=$(date +%s%N)
  ms=$(sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  echo "run $i: first paint ${ms} ms in the app, $(((end - begin) / 1000000)) ms from launch"
  sleep "$idle"
  echo "  the app at rest:"
  apps="$apps $(pss_tree "$started")"
  stop "$started"

  start_until loaded /usr/bin/python3 scripts/webkit-peer.py
  sleep "$idle"
  echo "  the peer at rest (WebKitGTK showing one line of text):"
  peers="$peers $(pss_tree "$started")"
  stop "$started"
done

app_kb=$(printf '%s\n' $apps | median)
peer_kb=$(printf '%s\n' $peers | median)
echo "idle PSS of all the app's processes, median of $runs: $((app_kb / 1024)) MB"
echo "idle PSS of the peer's processes, median of $runs:    $((peer_kb / 1024)) MB"
awk -v a="$app_kb" -v p="$peer_kb" 'BEGIN { printf "app / peer: %.2f× (the app itself: %d MB)\n", a / p, (a - p) / 1024 }'
