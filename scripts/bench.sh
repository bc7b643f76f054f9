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
azurite_start "$ROOT" "$WORK/azurite"
export ROLLBACK_TEST_STORAGE="$AZURITE_CONNECTION_STRING"
# Configuration files are read once: no inotify watch per host (a shared machine runs out of them) in the benchmark
# process or the dev host processes it starts.
export DOTNET_hostBuilder__reloadConfigOnChange=false DOTNET_USE_POLLING_FILE_WATCHER=true
dotnet run -c Release --no-build --project tests/RollbackFunctions.Benchmarks -- "${@:-list}"
