#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: a new cluster in a
# temporary folder, listening on 127.0.0.1 only at a free port, run as an
# unprivileged user (PostgreSQL refuses root), stopped and removed when the
# command ends. The command gets:
#   LOA_HUB_DATABASE_URL  postgres://loa@127.0.0.1:PORT/postgres
#   LOA_PG_CTL            a command that runs pg_ctl on this cluster, e.g.
#                         `$LOA_PG_CTL restart -m fast` (the restart test)
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh test" >&2
  exit 1
fi
# Tests need no durability; a benchmark sets LOA_PG_FSYNC=on to measure
# what production pays.
fsync="${LOA_PG_FSYNC:-off}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/loa-pg.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as=()
if [ "$(id -u)" -eq 0 ]; then
  # The Debian package's own system user; never a login.
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U loa -E UTF8 --no-sync >/dev/null
ctl() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" "$@"; }
stop() {
  ctl -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
ctl -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200" \
  -l "$dir/log" -w start >/dev/null

cat > "$dir/pg_ctl" <<SH
#!/bin/sh
exec ${as[*]} "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200" "\$@"
SH
chmod 755 "$dir/pg_ctl"
export LOA_HUB_DATABASE_URL="postgres://loa@127.0.0.1:$port/postgres"
export LOA_PG_CTL="$dir/pg_ctl"
"$@"
