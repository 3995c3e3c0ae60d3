#!/usr/bin/env bash
# The hub's scale benchmark (issue 17): 3,321 simulated stations against a
# release-built `loa-hub serve`, beside Debian's nginx, all on loopback, on a
# throwaway PostgreSQL with fsync on (as production would run). Options go
# to `loa-hub bench` (e.g. --rounds 2 --period 20 for a shorter run).
# About 12 minutes with the defaults: five one-minute rounds against each.
set -euo pipefail
cd "$(dirname "$0")/.."
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
  echo "nginx is not installed: run scripts/setup.sh test" >&2
  exit 1
fi
: "${CARGO_TARGET_DIR:=$PWD/target}"
cargo build --release -p loa-hub
# One file descriptor per simulated station, in the bench and in the hub.
ulimit -n 16384
LOA_PG_FSYNC=on exec scripts/with-postgres.sh \
  "$CARGO_TARGET_DIR/release/loa-hub" bench --peer-nginx "$nginx" "$@"
