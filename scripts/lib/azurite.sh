#!/usr/bin/env bash
# Starts Azurite from the repository's lock-pinned install on free loopback ports.
# Sourced by scripts/test.sh and scripts/run.sh. After azurite_start:
#   AZURITE_PID, AZURITE_CONNECTION_STRING, AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT

AZURITE_ACCOUNT_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite_install() {
  local root="$1"
  # npm ci only when the lock changed since the last install, so a re-run costs nothing.
  local stamp="$root/node_modules/.package-lock.json"
  if [[ ! -x "$root/node_modules/.bin/azurite" || "$root/package-lock.json" -nt "$stamp" ]]; then
    echo "==> installing Azurite from package-lock.json"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
}

azurite_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

azurite_start() {
  local root="$1" location="$2" log="${3:-$2/azurite.log}"
  mkdir -p "$location"
  AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-$(azurite_free_port)}"
  AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-$(azurite_free_port)}"
  AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-$(azurite_free_port)}"
  # AZURITE_IN_MEMORY=1: nothing on disk (no --location), so no periodic save of the whole database blocks Azurite.
  local storage_args=(--location "$location")
  if [[ "${AZURITE_IN_MEMORY:-0}" == 1 ]]; then storage_args=(--inMemoryPersistence); fi
  "$root/node_modules/.bin/azurite" "${storage_args[@]}" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$AZURITE_BLOB_PORT" --queuePort "$AZURITE_QUEUE_PORT" --tablePort "$AZURITE_TABLE_PORT" \
    --skipApiVersionCheck --disableTelemetry --loose --silent >"$log" 2>&1 &
  AZURITE_PID=$!
  local port
  for port in "$AZURITE_BLOB_PORT" "$AZURITE_QUEUE_PORT" "$AZURITE_TABLE_PORT"; do
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      if ! kill -0 "$AZURITE_PID" 2>/dev/null; then echo "Azurite exited; see $log" >&2; cat "$log" >&2; return 1; fi
      sleep 0.1
    done
  done
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${AZURITE_QUEUE_PORT}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT}/devstoreaccount1;"
  export AZURITE_PID AZURITE_CONNECTION_STRING AZURITE_BLOB_PORT AZURITE_QUEUE_PORT AZURITE_TABLE_PORT
}

azurite_stop() {
  if [[ -n "${AZURITE_PID:-}" ]] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
  fi
}
