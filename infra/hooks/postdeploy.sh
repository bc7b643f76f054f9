#!/usr/bin/env bash
# azd postdeploy hook (azure.yaml): the second phase of `azd up`. Event Grid validates a webhook when its subscription
# is created (the CloudEvents OPTIONS handshake on POST /api/events), so the subscriptions can only be made once the
# code `azd deploy` just published answers there. This deploys infra/bicep/eventgrid-subscriptions.bicepparam, whose
# values are main.bicep's outputs that azd passes to its hooks as environment variables. A freshly deployed Flex
# Consumption app can take a minute to answer, so a failed attempt is retried. Needs the Azure CLI, logged in.
# Variables: ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS=true skips it; ROLLBACK_SUBSCRIBE_ATTEMPTS (default 5) and
# ROLLBACK_SUBSCRIBE_RETRY_SECONDS (default 30, times the attempt number) pace the retries.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ "${ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS:-false}" == "true" ]]; then
  echo "postdeploy: ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS=true, no Event Grid subscriptions created"
  exit 0
fi

missing=()
for name in AZURE_ENV_NAME AZURE_SUBSCRIPTION_ID AZURE_RESOURCE_GROUP EVENT_GRID_TOPIC_NAME FUNCTION_APP_NAME \
  MANAGED_IDENTITY_NAME STORAGE_ACCOUNT_NAME KEY_VAULT_NAME; do
  [[ -n "${!name:-}" ]] || missing+=("$name")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "postdeploy: ${missing[*]} not set: run it through azd (azd deploy / azd up), which passes main.bicep's outputs" >&2
  exit 1
fi

attempts="${ROLLBACK_SUBSCRIBE_ATTEMPTS:-5}"
pause="${ROLLBACK_SUBSCRIBE_RETRY_SECONDS:-30}"
for ((attempt = 1; attempt <= attempts; attempt++)); do
  echo "postdeploy: Event Grid subscriptions to ${SERVICE_API_URI:-$FUNCTION_APP_NAME}/api/events (attempt $attempt of $attempts)"
  if az deployment group create \
    --subscription "$AZURE_SUBSCRIPTION_ID" \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "rollback-eventgrid-${AZURE_ENV_NAME}" \
    --parameters infra/bicep/eventgrid-subscriptions.bicepparam \
    --only-show-errors --output none; then
    echo "postdeploy: Event Grid subscriptions created"
    exit 0
  fi
  if ((attempt < attempts)); then sleep $((pause * attempt)); fi
done
echo "postdeploy: Event Grid could not validate /api/events after $attempts attempts; is the app running? (az functionapp show -g $AZURE_RESOURCE_GROUP -n $FUNCTION_APP_NAME)" >&2
exit 1
