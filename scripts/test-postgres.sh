#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server on 127.0.0.1 for the test suite.
# Usage: scripts/test-postgres.sh start|stop|status   (prints the database URL on start;
# status succeeds when the server is running). scripts/with-test-postgres.sh wraps a command.
# A stopped server's folder is wiped at the next start, unless HUE_PG_KEEP_DATA is set and it
# holds a cluster: the benches' server keeps its databases (bench/city.py's 10 million events
# take minutes to generate) from one `make bench` to the next.
set -euo pipefail
PORT=${HUE_TEST_PG_PORT:-54329}
DATA=${HUE_TEST_PG_DATA:-/tmp/hue_literacy_pg_$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); else as_pg=(); fi
pg() { "${as_pg[@]}" "$@"; }

case "${1:-start}" in
  start)
    if ! pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      if [ -z "${HUE_PG_KEEP_DATA:-}" ] || [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"
        mkdir -p "$DATA"
        [ ${#as_pg[@]} -eq 0 ] || chown postgres "$DATA"
        pg "$BIN/initdb" -D "$DATA" -U hue --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
      fi
      pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    fi
    pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U hue -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='hue_test'" | grep -q 1 \
      || pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U hue hue_test
    echo "postgresql+psycopg://hue@127.0.0.1:$PORT/hue_test"
    ;;
  stop)
    pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  status)
    pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
    ;;
esac
