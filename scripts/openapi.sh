#!/usr/bin/env bash
# Regenerates docs/openapi.json from the dev host's endpoints (the OpenAPI drift test in write mode). Run it after
# adding or changing a route, then commit docs/openapi.json; the test command fails while the two differ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
TESTS="FullyQualifiedName~RollbackFunctions.Tests.Intake.OpenApi.OpenApiDocumentTests"
# First the generation test in write mode, then (after the library re-embeds the new file) every check of the document.
ROLLBACK_OPENAPI_WRITE=1 dotnet test tests/RollbackFunctions.Tests -c Release --nologo \
  --filter "$TESTS.The_checked_in_document_is_the_one_the_dev_host_generates"
dotnet test tests/RollbackFunctions.Tests -c Release --nologo --filter "$TESTS"
echo "docs/openapi.json is up to date"
