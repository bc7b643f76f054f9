#!/usr/bin/env pwsh
# azd postdeploy hook on Windows (azure.yaml); the same as postdeploy.sh: Event Grid validates a webhook when its
# subscription is created, so infra/bicep/eventgrid-subscriptions.bicepparam is deployed only after `azd deploy`
# published the code that answers the handshake on POST /api/events, retrying while the new app starts. Its values
# are main.bicep's outputs, which azd passes to hooks as environment variables. Needs the Azure CLI, logged in.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '../..')

if ($env:ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS -eq 'true') {
    Write-Host 'postdeploy: ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS=true, no Event Grid subscriptions created'
    exit 0
}

$required = 'AZURE_ENV_NAME', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP', 'EVENT_GRID_TOPIC_NAME', 'FUNCTION_APP_NAME',
    'MANAGED_IDENTITY_NAME', 'STORAGE_ACCOUNT_NAME', 'KEY_VAULT_NAME'
$missing = @($required | Where-Object { -not [Environment]::GetEnvironmentVariable($_) })
if ($missing.Count -gt 0) {
    Write-Error "postdeploy: $($missing -join ' ') not set: run it through azd (azd deploy / azd up), which passes main.bicep's outputs"
    exit 1
}

$attempts = if ($env:ROLLBACK_SUBSCRIBE_ATTEMPTS) { [int]$env:ROLLBACK_SUBSCRIBE_ATTEMPTS } else { 5 }
$pause = if ($env:ROLLBACK_SUBSCRIBE_RETRY_SECONDS) { [int]$env:ROLLBACK_SUBSCRIBE_RETRY_SECONDS } else { 30 }
for ($attempt = 1; $attempt -le $attempts; $attempt++) {
    $target = if ($env:SERVICE_API_URI) { $env:SERVICE_API_URI } else { $env:FUNCTION_APP_NAME }
    Write-Host "postdeploy: Event Grid subscriptions to $target/api/events (attempt $attempt of $attempts)"
    az deployment group create `
        --subscription $env:AZURE_SUBSCRIPTION_ID `
        --resource-group $env:AZURE_RESOURCE_GROUP `
        --name "rollback-eventgrid-$($env:AZURE_ENV_NAME)" `
        --parameters infra/bicep/eventgrid-subscriptions.bicepparam `
        --only-show-errors --output none
    if ($LASTEXITCODE -eq 0) {
        Write-Host 'postdeploy: Event Grid subscriptions created'
        exit 0
    }
    if ($attempt -lt $attempts) { Start-Sleep -Seconds ($pause * $attempt) }
}
Write-Error "postdeploy: Event Grid could not validate /api/events after $attempts attempts; is the app running? (az functionapp show -g $($env:AZURE_RESOURCE_GROUP) -n $($env:FUNCTION_APP_NAME))"
exit 1
