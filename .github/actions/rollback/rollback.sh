#!/usr/bin/env bash
# The pipeline building blocks' one script: record-release, request-rollback or gate against the RollbackFunctions
# API (docs: README "Pipelines"). The GitHub composite action (action.yml beside it) and the Azure DevOps template
# (pipelines/azure-devops/rollback-steps.yml) map their inputs to INPUT_* variables and run it; it needs bash and curl.
#
#   rollback.sh record-release | request-rollback | gate
#
# Inputs: INPUT_URL, INPUT_KEY (a function key) or INPUT_TOKEN (an Entra ID bearer token), INPUT_COMPONENT;
#   record-release:   INPUT_VERSION, INPUT_ARTIFACT, INPUT_STATUS (Deployed|Verified|Failed), INPUT_SCHEMA_VERSION, INPUT_COMMIT
#   request-rollback: INPUT_REASON, INPUT_REQUESTED_BY, INPUT_CORRELATION_ID, INPUT_TARGET_VERSION, INPUT_DETAILS
#   gate:             INPUT_FAIL_WHEN_CLOSED (default true)
# Outputs (to $GITHUB_OUTPUT, as Azure DevOps output variables when TF_BUILD is set, and on stdout as name=value):
#   record-release: http-status; request-rollback: rollback-id, status-uri; gate: open, reason, active-rollback-id.
# Exit codes: 0 done (gate open), 1 the API refused (the problem's title is the error) or could not be reached,
#   2 an input is missing or wrong, 3 the gate is closed.
set -euo pipefail
INPUT_FAIL_WHEN_CLOSED="${INPUT_FAIL_WHEN_CLOSED:-true}"

COMMAND="${1:-${INPUT_COMMAND:-}}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

annotate() {
  if [[ -n "${GITHUB_ACTIONS:-}" ]]; then
    echo "::error title=rollback ${COMMAND}::$1"
  elif [[ -n "${TF_BUILD:-}" ]]; then
    echo "##vso[task.logissue type=error]$1"
  fi
  echo "rollback ${COMMAND}: $1" >&2
}

fail() { annotate "$2"; exit "$1"; }

output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi
  if [[ -n "${TF_BUILD:-}" ]]; then
    local ado_name
    ado_name="$(sed -E 's/-([a-z])/\U\1/g' <<<"$1")"  # rollback-id -> rollbackId
    echo "##vso[task.setvariable variable=${ado_name};isOutput=true]$2"
  fi
  echo "$1=$2"
}

require() {
  local name
  for name in "$@"; do
    [[ -n "${!name:-}" ]] || fail 2 "the input ${name#INPUT_} is required for ${COMMAND}."
  done
}

json_string() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\r'/\\r}"; s="${s//$'\t'/\\t}"
  printf '"%s"' "$s"
}

# json_object name value [name value ...]: a JSON object of the non-empty values, as strings.
json_object() {
  local out="" sep=""
  while (($# >= 2)); do
    if [[ -n "$2" ]]; then out+="${sep}\"$1\":$(json_string "$2")"; sep=","; fi
    shift 2
  done
  printf '{%s}' "$out"
}

# field NAME: the first top-level-looking "NAME": value of the answer (a string unescaped, or a literal).
field() {
  local re="\"$1\"[[:space:]]*:[[:space:]]*(\"(([^\"\\\\]|\\\\.)*)\"|true|false|null|-?[0-9][0-9.eE+-]*)"
  if [[ "$BODY" =~ $re ]]; then
    if [[ "${BASH_REMATCH[1]:0:1}" == '"' ]]; then
      local v="${BASH_REMATCH[2]}"; v="${v//\\\"/\"}"; v="${v//\\\\/\\}"; v="${v//\\\//\/}"
      printf '%s' "$v"
    elif [[ "${BASH_REMATCH[1]}" != null ]]; then
      printf '%s' "${BASH_REMATCH[1]}"
    fi
  fi
}

# call METHOD PATH [BODY]: sets STATUS and BODY. The credential goes in a header file, never on curl's command line.
call() {
  local method="$1" path="$2" data="${3:-}" work="$WORK"
  if [[ -n "${INPUT_KEY:-}" ]]; then
    printf 'x-functions-key: %s\n' "$INPUT_KEY" >"$work/headers"
  else
    printf 'Authorization: Bearer %s\n' "$INPUT_TOKEN" >"$work/headers"
  fi
  local args=(-sS --retry 2 --max-time 30 -o "$work/body" -w '%{http_code}' -X "$method" -H @"$work/headers" -H 'Accept: application/json')
  if [[ -n "$data" ]]; then
    printf '%s' "$data" >"$work/data"
    args+=(-H 'Content-Type: application/json' --data-binary @"$work/data")
  fi
  local curl_status=0
  STATUS="$(curl "${args[@]}" "${URL}${path}")" || curl_status=$?
  if ((curl_status != 0)); then fail 1 "cannot reach ${URL} (curl exit ${curl_status})."; fi
  BODY="$(cat "$work/body")"
}

refused() {
  local title detail
  title="$(field title)"; detail="$(field detail)"
  fail 1 "HTTP ${STATUS}: ${title:-$BODY}${detail:+ ($detail)}"
}

segment() { local s="$1"; s="${s//%/%25}"; s="${s// /%20}"; s="${s//\//%2F}"; s="${s//\?/%3F}"; s="${s//#/%23}"; printf '%s' "$s"; }

case "$COMMAND" in record-release | request-rollback | gate) ;; *) fail 2 "the command must be record-release, request-rollback or gate, not '${COMMAND}'." ;; esac
require INPUT_URL INPUT_COMPONENT
[[ -n "${INPUT_KEY:-}" || -n "${INPUT_TOKEN:-}" ]] || fail 2 "give a credential: the input key (a function key) or token (an Entra ID bearer token)."
URL="${INPUT_URL%/}"; URL="${URL%/api}"
[[ "$URL" =~ ^https?:// ]] || fail 2 "the input url must be an http(s) URL."

case "$COMMAND" in
  record-release)
    require INPUT_VERSION INPUT_ARTIFACT INPUT_STATUS
    call POST /api/releases "$(json_object component "$INPUT_COMPONENT" version "$INPUT_VERSION" artifact "$INPUT_ARTIFACT" \
      status "$INPUT_STATUS" schemaVersion "${INPUT_SCHEMA_VERSION:-}" commit "${INPUT_COMMIT:-}")"
    [[ "$STATUS" == 2?? ]] || refused
    echo "recorded ${INPUT_COMPONENT} ${INPUT_VERSION} as ${INPUT_STATUS} (HTTP ${STATUS})"
    output http-status "$STATUS"
    ;;
  request-rollback)
    require INPUT_REASON INPUT_REQUESTED_BY
    call POST /api/rollbacks "$(json_object component "$INPUT_COMPONENT" reason "$INPUT_REASON" requestedBy "$INPUT_REQUESTED_BY" \
      correlationId "${INPUT_CORRELATION_ID:-}" targetVersion "${INPUT_TARGET_VERSION:-}" details "${INPUT_DETAILS:-}")"
    [[ "$STATUS" == 2?? ]] || refused
    id="$(field rollbackId)"
    [[ -n "$id" ]] || fail 1 "HTTP ${STATUS} without a rollbackId: ${BODY}"
    echo "rollback ${id} of ${INPUT_COMPONENT} requested (HTTP ${STATUS}): ${URL}$(field statusUri)"
    output rollback-id "$id"
    output status-uri "${URL}$(field statusUri)"
    ;;
  gate)
    call GET "/api/components/$(segment "$INPUT_COMPONENT")/gate"
    [[ "$STATUS" == 2?? ]] || refused
    open="$(field open)"; reason="$(field reason)"
    output open "$open"
    output reason "$reason"
    output active-rollback-id "$(field activeRollbackId)"
    if [[ "$open" == true ]]; then
      echo "the gate of ${INPUT_COMPONENT} is open: ${reason}"
    elif [[ "${INPUT_FAIL_WHEN_CLOSED,,}" == false ]]; then
      echo "the gate of ${INPUT_COMPONENT} is closed: ${reason}"
    else
      fail 3 "the gate of ${INPUT_COMPONENT} is closed: ${reason}"
    fi
    ;;
esac
