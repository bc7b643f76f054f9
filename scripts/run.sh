#!/usr/bin/env bash
# Runs the whole app locally: Azurite (data in .azurite/) and the dev host in demo mode on http://127.0.0.1:7071,
# with simulated deployment API, probes and incident sink on loopback. Ctrl-C stops everything.
# Extra arguments go to the dev host, e.g. ./scripts/run.sh --urls http://127.0.0.1:8080 or --config my.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/azurite.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

DEVHOST_PID=""
stop_all() {
  trap - EXIT INT TERM
  if [[ -n "$DEVHOST_PID" ]] && kill -0 "$DEVHOST_PID" 2>/dev/null; then
    kill -TERM "$DEVHOST_PID" 2>/dev/null || true
    # The dev host bounds its own graceful stop (DevHost:ShutdownTimeout); this is a backstop.
    for _ in $(seq 1 150); do kill -0 "$DEVHOST_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$DEVHOST_PID" 2>/dev/null || true
  fi
  azurite_stop
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

azurite_install "$ROOT"

# Azurite's usual ports, so Storage Explorer and `func start` find it; free ones when something else holds them.
if port_busy 10000 || port_busy 10001 || port_busy 10002; then
  echo "==> ports 10000-10002 are taken; Azurite gets free ports"
else
  export AZURITE_BLOB_PORT=10000 AZURITE_QUEUE_PORT=10001 AZURITE_TABLE_PORT=10002
fi
echo "==> starting Azurite (data in .azurite/)"
azurite_start "$ROOT" "$ROOT/.azurite"
echo "    blob $AZURITE_BLOB_PORT, queue $AZURITE_QUEUE_PORT, table $AZURITE_TABLE_PORT"

echo "==> building the dev host"
dotnet build src/RollbackFunctions.DevHost -c Release -nologo -v quiet -clp:ErrorsOnly

export DurableTaskStorage="$AZURITE_CONNECTION_STRING" RollbackStorage="$AZURITE_CONNECTION_STRING"
echo "==> starting the dev host (demo mode); Ctrl-C stops it and Azurite"
dotnet src/RollbackFunctions.DevHost/bin/Release/net10.0/RollbackFunctions.DevHost.dll --demo "$@" &
DEVHOST_PID=$!
set +e
wait "$DEVHOST_PID"
status=$?
set -e
DEVHOST_PID=""
exit "$status"
