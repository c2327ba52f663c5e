#!/usr/bin/env bash
# Runs Granary's whole test suite on a fresh machine: checks the .NET SDK, restores, builds in Release,
# runs every test project, and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); install it, then run this script again." >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Granary.slnx -c Release -warnaserror -nologo -v minimal

log=$(mktemp)
pg_dir=""
cleanup() {
  rm -f "$log"
  if [[ -n "$pg_dir" ]]; then
    scripts/postgres.sh stop "$pg_dir" || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

# One private PostgreSQL server for the whole run (the PostgreSQL contract suites create a database per
# test in it), unless GRANARY_TEST_POSTGRES already names one. If it cannot start, those tests fail.
if [[ -z "${GRANARY_TEST_POSTGRES:-}" ]]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/granary-test-pg-XXXXXX")
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
            echo $((20000 + RANDOM % 20000)))
  if pg_url=$(scripts/postgres.sh start "$pg_dir" "$pg_port"); then
    export GRANARY_TEST_POSTGRES="$pg_url"
  else
    echo "warning: could not start a private PostgreSQL server; the tests will try once more and fail if they cannot." >&2
    rm -rf "$pg_dir"
    pg_dir=""
  fi
fi

status=0
dotnet test Granary.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
