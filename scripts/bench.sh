#!/usr/bin/env bash
# Runs one benchmark (or "all") against a fresh Azurite: ./scripts/bench.sh <name>|all|list
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/azurite.sh
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rollback-bench.XXXXXX")"
cleanup() { azurite_stop; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
azurite_install "$ROOT"
dotnet build tests/RollbackFunctions.Benchmarks -c Release -nologo -v quiet >/dev/null
# The alert storm measures the intake, so its Azurite keeps nothing on disk: Azurite saves its whole table database to
# disk every 5 s, which stalls its requests for up to ~100 ms (Azure Table Storage has no such pause). Set
# AZURITE_IN_MEMORY=0 to measure it against Azurite on disk; the other benchmarks use Azurite on disk.
if [[ "${1:-}" == alert-storm ]]; then export AZURITE_IN_MEMORY="${AZURITE_IN_MEMORY:-1}"; fi
azurite_start "$ROOT" "$WORK/azurite"
export ROLLBACK_TEST_STORAGE="$AZURITE_CONNECTION_STRING"
# Configuration files are read once: no inotify watch per host (a shared machine runs out of them) in the benchmark
# process or the dev host processes it starts.
export DOTNET_hostBuilder__reloadConfigOnChange=false DOTNET_USE_POLLING_FILE_WATCHER=true
dotnet run -c Release --no-build --project tests/RollbackFunctions.Benchmarks -- "${@:-list}"
