#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster (Debian's packages) on 127.0.0.1:${PGPORT:-55432}
# and print the URL of a fresh database for the tests. Installs the server if it is missing.
set -euo pipefail
port=${PGPORT:-55432}
dir=${PGDATA_DIR:-/tmp/concord-pg}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
  fi
fi
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! run "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  run "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" \
    -w start >/dev/null
fi
run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname='concord'" | grep -q 1 ||
  run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE concord LOGIN SUPERUSER PASSWORD 'concord'"
run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='concord_test'" | grep -q 1 ||
  run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE concord_test OWNER concord"
echo "postgresql+psycopg://concord:concord@127.0.0.1:$port/concord_test"
