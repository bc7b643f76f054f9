#!/usr/bin/env bash
# Builds and lints the Bicep templates offline with the Bicep CLI from its NuGet package, and fails on any warning or
# error. The compiled ARM template and parameters land in infra/bicep/obj/ (git-ignored); the infrastructure tests
# compile the template themselves, so `dotnet test` alone does not depend on this hook.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

TOOLS=infra/bicep/Bicep.Tools.proj
OUT=infra/bicep/obj
dotnet restore "$TOOLS" --nologo -v quiet
BICEP="$(dotnet msbuild "$TOOLS" -nologo -getProperty:BicepCliPath)"
[[ -x "$BICEP" ]] || { echo "bicep: the CLI is not at '$BICEP' after restore"; exit 1; }
mkdir -p "$OUT"

failed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# The CLI exits 0 when there are only warnings, so its diagnostics are read too: any line that is not empty counts.
run() {
  echo "bicep $*"
  if ! "$BICEP" "$@" >"$log" 2>&1; then failed=1; fi
  if grep -q . "$log"; then cat "$log"; failed=1; fi
}

"$BICEP" --version
run build infra/bicep/main.bicep --outfile "$OUT/main.json"
run build-params infra/bicep/main.bicepparam --outfile "$OUT/main.parameters.json"
# Linting main.bicep lints every module it uses.
run lint infra/bicep/main.bicep

if [[ $failed -ne 0 ]]; then
  echo "bicep: the templates have warnings or errors (zero of either is the rule)"
  exit 1
fi
echo "bicep: build, build-params and lint passed with no diagnostics"
