# Shared by the sample scripts (sourced): where the dev host is, and small curl/JSON helpers.
# ROLLBACK_URL (default http://127.0.0.1:7071) and ROLLBACK_KEY (default: the demo key) point them elsewhere.
URL="${ROLLBACK_URL:-http://127.0.0.1:7071}"
KEY="${ROLLBACK_KEY:-demo-key-local-only}"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# call METHOD PATH [BODY_FILE]: prints the body, sets STATUS.
call() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-sS -o "$TMP/out" -w '%{http_code}' -X "$method" -H "x-functions-key: $KEY" "$URL$path")
  [[ -n "$body" ]] && args+=(-H 'content-type: application/json' --data-binary "@$body")
  STATUS="$(curl "${args[@]}")" || { echo "cannot reach $URL: is the dev host running (./scripts/run.sh)?" >&2; exit 1; }
  cat "$TMP/out"
}
# field PATH: one value (dotted path) of the JSON on stdin.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o==null?o:o[k],JSON.parse(s));console.log(v==null?"":v)})' "$1"; }
# expect CODE...: stops with the body unless STATUS is one of them.
expect() { if [[ ! " $* " == *" $STATUS "* ]]; then echo "unexpected HTTP $STATUS:"; cat "$TMP/out"; echo; exit 1; fi; }
