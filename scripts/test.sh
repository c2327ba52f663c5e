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
trap 'rm -f "$log"' EXIT
status=0
dotnet test Granary.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
