#!/usr/bin/env bash
# A private PostgreSQL server in a folder, for local clusters and the tests; never the system's instance.
#   scripts/postgres.sh ensure              install PostgreSQL from Debian's packages if it is missing
#   scripts/postgres.sh start DIR [PORT]    initdb DIR when new, start it on 127.0.0.1:PORT (default 55432),
#                                           print the Npgsql connection string
#   scripts/postgres.sh url DIR             print the connection string of a started server
#   scripts/postgres.sh stop DIR            stop it (fast shutdown); the data stays in DIR
# PostgreSQL refuses to run as root; as root the server runs as the 'postgres' user the package creates.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

ensure() {
  if [[ -z "$(pg_bin)" ]]; then
    echo "Installing PostgreSQL from Debian's packages..." >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    # The package starts a system instance; the private servers here do not need it.
    $sudo systemctl disable --now postgresql >/dev/null 2>&1 || $sudo service postgresql stop >/dev/null 2>&1 || true
  fi
  [[ -n "$(pg_bin)" ]] || { echo "PostgreSQL binaries not found after install" >&2; exit 1; }
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() {
  local dir=$1
  local port
  port=$(cat "$dir/granary-port")
  echo "Host=127.0.0.1;Port=$port;Username=granary;Database=granary;Pooling=true;Maximum Pool Size=20"
}

start() {
  local dir=$1 port=${2:-55432}
  ensure
  local bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$dir" -U granary --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    url "$dir"
    return
  fi
  echo "$port" > "$dir/granary-port.tmp" && mv "$dir/granary-port.tmp" "$dir/granary-port"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir/granary-port"
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U granary -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'granary'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U granary granary
  fi
  url "$dir"
}

stop() {
  local dir=$1
  local bin
  bin=$(pg_bin) || exit 0
  [[ -f "$dir/PG_VERSION" ]] || exit 0
  as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  ensure) ensure ;;
  start) [[ $# -ge 2 ]] || { echo "usage: $0 start DIR [PORT]" >&2; exit 2; }; start "$2" "${3:-55432}" ;;
  url) [[ $# -eq 2 ]] || { echo "usage: $0 url DIR" >&2; exit 2; }; url "$2" ;;
  stop) [[ $# -eq 2 ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 ensure | start DIR [PORT] | url DIR | stop DIR" >&2; exit 2 ;;
esac
