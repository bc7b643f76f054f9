#!/usr/bin/env bash
# The one test command: installs what the tests need, builds with zero warnings, runs every test against a real
# Azurite, and ends with "N passed, N failed" alone on the last line. Leaves no process running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/azurite.sh

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rollback-tests.XXXXXX")"
RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
cleanup() { azurite_stop; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

azurite_install "$ROOT"
for hook in scripts/test.d/*.sh; do
  [[ -e "$hook" ]] || continue
  echo "==> $hook"
  bash "$hook"
done

echo "==> restore and build (warnings are errors)"
dotnet build RollbackFunctions.sln -c Release -warnaserror -nologo -clp:Summary | tee "$WORK/build.log" | grep -E "error|warning|Warn|Error|Elapsed" || true
if [[ ${PIPESTATUS[0]} -ne 0 ]]; then echo "build failed"; exit 1; fi
if ! grep -qE "^\s*0 Warning\(s\)" "$WORK/build.log"; then echo "build produced warnings"; exit 1; fi

echo "==> starting Azurite"
azurite_start "$ROOT" "$WORK/azurite"
export ROLLBACK_TEST_STORAGE="$AZURITE_CONNECTION_STRING"

echo "==> tests"
set +e
dotnet test RollbackFunctions.sln -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$RESULTS" "$@" 2>&1 | tee "$WORK/test.log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12").
read -r passed failed skipped < <(grep -E "^(Passed|Failed)!\s+-" "$WORK/test.log" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); else if ($i == "Passed") p += $(i+1); else if ($i == "Skipped") s += $(i+1) } }
  END { print p+0, f+0, s+0 }')
if [[ "$passed" -eq 0 && "$failed" -eq 0 ]]; then failed=1; echo "no test ran"; status=1; fi
if [[ $status -ne 0 && "$failed" -eq 0 ]]; then failed=1; fi
if [[ "$skipped" -gt 0 ]]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
