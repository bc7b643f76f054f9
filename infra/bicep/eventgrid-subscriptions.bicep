// The second phase of a deployment: the Event Grid webhook subscriptions to POST /api/events, which Event Grid can
// only create once the published code answers its validation handshake. azd's postdeploy hook
// (infra/hooks/postdeploy.sh, .ps1) deploys this after `azd deploy`, with eventgrid-subscriptions.bicepparam reading
// main.bicep's outputs from the azd environment; with the az CLI alone, main.bicep's subscribeEventGrid does the same.
targetScope = 'resourceGroup'

metadata description = 'RollbackFunctions: Event Grid subscriptions to the published app (after main.bicep and the code).'

@description('main.bicep output EVENT_GRID_TOPIC_NAME.')
param topicName string

@description('main.bicep output EVENT_GRID_HEALTH_TOPIC_NAME; empty when no Health Resources system topic was created.')
param healthTopicName string = ''

@description('main.bicep output FUNCTION_APP_NAME.')
param functionAppName string

@description('main.bicep output MANAGED_IDENTITY_NAME: the identity Event Grid dead-letters with.')
param identityName string

@description('main.bicep output STORAGE_ACCOUNT_NAME.')
param storageAccountName string

@description('main.bicep output EVENT_GRID_DEAD_LETTER_CONTAINER.')
param deadLetterContainerName string = 'eventgrid-deadletter'

@description('main.bicep output EVENT_GRID_DELIVERY_AUDIENCE: the Application ID URI for Entra ID webhook delivery; empty for the key alone.')
param entraIdApplicationIdOrUri string = ''

@description('main.bicep output KEY_VAULT_NAME: the vault that holds the app\'s `events` key.')
param keyVaultName string

@description('main.bicep output EVENTS_KEY_SECRET_NAME: the secret with the `events` key (role Events) the webhook URLs carry.')
param eventsKeySecretName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// The key as the app has it: main.bicep wrote it and made the app read this secret. Resource Manager resolves the
// Key Vault reference at deployment (the vault has enabledForTemplateDeployment), so the key never passes through
// the azd environment or a parameters file.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

module subscriptions 'modules/eventsubscriptions.bicep' = {
  name: 'eventsubscriptions'
  params: {
    topicName: topicName
    healthTopicName: healthTopicName
    functionAppName: functionAppName
    identityId: identity.id
    storageAccountId: storage.id
    deadLetterContainerName: deadLetterContainerName
    entraIdApplicationIdOrUri: entraIdApplicationIdOrUri
    eventsKey: vault.getSecret(eventsKeySecretName)
  }
}
