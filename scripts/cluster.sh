#!/usr/bin/env bash
# A local Granary cluster: N node processes on loopback ports, one private PostgreSQL, one shared blob folder.
#   scripts/cluster.sh up N       start PostgreSQL and nodes 1..N that are not running (idempotent; brings a
#                                 killed node back); waits until each is ready
#   scripts/cluster.sh down       stop every node gracefully, then PostgreSQL (the data stays)
#   scripts/cluster.sh kill I     kill -9 node I
#   scripts/cluster.sh status     one line per node: number, URL, state
#   scripts/cluster.sh clean      down, then delete the cluster folder
# Environment (defaults): GRANARY_CLUSTER_DIR (.cluster), GRANARY_CLUSTER_NAME (local),
# GRANARY_CLUSTER_HTTP_BASE (5100: node I serves http://127.0.0.1:5100+I), GRANARY_CLUSTER_SILO_BASE (11100),
# GRANARY_CLUSTER_PG_PORT (55432), GRANARY_CLUSTER_PIN (unset; "1" pins node I to CPU core I-1 with taskset),
# GRANARY_SKIP_BUILD (unset; "1" uses the existing Release build). Extra node options: GRANARY_NODE_ARGS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${GRANARY_CLUSTER_DIR:-$root/.cluster}
name=${GRANARY_CLUSTER_NAME:-local}
http_base=${GRANARY_CLUSTER_HTTP_BASE:-5100}
silo_base=${GRANARY_CLUSTER_SILO_BASE:-11100}
pg_port=${GRANARY_CLUSTER_PG_PORT:-55432}
dll=$root/src/Granary.Cli/bin/Release/net10.0/granary.dll

node_dir() { echo "$dir/node-$1"; }
node_pid() { local f; f="$(node_dir "$1")/pid"; [[ -f $f ]] && cat "$f" || true; }
alive() { local pid; pid=$(node_pid "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }
url_of() { echo "http://127.0.0.1:$((http_base + $1))"; }
nodes() { ls -d "$dir"/node-* 2>/dev/null | sed 's/.*node-//' | sort -n || true; }

ensure_tools() {
  if ! command -v curl >/dev/null 2>&1; then
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq curl >&2
  fi
}

secret() {
  local file=$dir/secret
  if [[ ! -s $file ]]; then
    mkdir -p "$dir"
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' > "$file.tmp" && mv "$file.tmp" "$file")
  fi
  echo "$file"
}

start_node() {
  local i=$1 connection=$2 secret_file=$3
  local home port silo pin=()
  home=$(node_dir "$i")
  port=$((http_base + i))
  silo=$((silo_base + i))
  mkdir -p "$home"
  if [[ ${GRANARY_CLUSTER_PIN:-} == 1 ]] && command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c $(( (i - 1) % $(nproc) )))
  fi
  # setsid: the node outlives this script and is not hit by the caller's Ctrl+C.
  # shellcheck disable=SC2086
  setsid "${pin[@]}" dotnet "$dll" serve --data "$home" --urls "$(url_of "$i")" --cluster "$name" \
    --postgres "$connection" --blobs "$dir/blobs" --Cluster:SiloPort="$silo" --Cluster:SecretFile="$secret_file" \
    ${GRANARY_NODE_ARGS:-} >>"$home/log" 2>&1 < /dev/null &
  echo $! > "$home/pid"
}

wait_ready() {
  local i=$1 deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "$(url_of "$i")/readyz" 2>/dev/null; do
    if ! alive "$i"; then
      echo "node $i exited during start-up; last lines of $(node_dir "$i")/log:" >&2
      tail -n 20 "$(node_dir "$i")/log" >&2
      return 1
    fi
    if (( SECONDS > deadline )); then
      echo "node $i not ready after 90 s; see $(node_dir "$i")/log" >&2
      return 1
    fi
    sleep 0.2
  done
}

up() {
  local count=$1
  [[ $count =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 up N (N >= 1)" >&2; exit 2; }
  ensure_tools
  if [[ ${GRANARY_SKIP_BUILD:-} != 1 || ! -f $dll ]]; then
    dotnet build "$root/src/Granary.Cli" -c Release -nologo -v quiet >&2
  fi
  mkdir -p "$dir/blobs"
  local connection secret_file started=()
  connection=$("$root/scripts/postgres.sh" start "$dir/postgres" "$pg_port")
  secret_file=$(secret)
  for ((i = 1; i <= count; i++)); do
    if ! alive "$i"; then
      start_node "$i" "$connection" "$secret_file"
      started+=("$i")
    fi
  done
  for i in "${started[@]}"; do wait_ready "$i"; done
  status
}

status() {
  local any=0
  for i in $(nodes); do
    any=1
    if alive "$i"; then
      if curl -fsS -o /dev/null "$(url_of "$i")/readyz" 2>/dev/null; then state=ready; else state=starting; fi
      printf 'node %s  %s  %s  pid %s\n' "$i" "$(url_of "$i")" "$state" "$(node_pid "$i")"
    else
      printf 'node %s  %s  down\n' "$i" "$(url_of "$i")"
    fi
  done
  [[ $any == 1 ]] || echo "no nodes (scripts/cluster.sh up N starts some)"
}

kill_node() {
  local i=$1
  alive "$i" || { echo "node $i is not running" >&2; exit 1; }
  kill -9 "$(node_pid "$i")"
  rm -f "$(node_dir "$i")/pid"
  echo "node $i killed (SIGKILL)"
}

down() {
  for i in $(nodes); do
    if alive "$i"; then kill -TERM "$(node_pid "$i")"; fi
  done
  for i in $(nodes); do
    local deadline=$((SECONDS + 40))
    while alive "$i" && (( SECONDS < deadline )); do sleep 0.2; done
    if alive "$i"; then kill -9 "$(node_pid "$i")"; fi
    rm -f "$(node_dir "$i")/pid"
  done
  [[ -d $dir/postgres ]] && "$root/scripts/postgres.sh" stop "$dir/postgres"
  echo "cluster stopped"
}

case "${1:-}" in
  up) [[ $# -eq 2 ]] || { echo "usage: $0 up N" >&2; exit 2; }; up "$2" ;;
  down) down ;;
  kill) [[ $# -eq 2 ]] || { echo "usage: $0 kill I" >&2; exit 2; }; kill_node "$2" ;;
  status) status ;;
  clean) down; rm -rf "$dir" ;;
  *) echo "usage: $0 up N | down | kill I | status | clean" >&2; exit 2 ;;
esac
