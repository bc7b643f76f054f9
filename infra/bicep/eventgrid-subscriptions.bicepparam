using 'eventgrid-subscriptions.bicep'

// Every value is an output of main.bicep, which azd keeps in the environment (`azd env get-values`) and passes to
// its hooks; `az deployment group create --parameters infra/bicep/eventgrid-subscriptions.bicepparam` reads the same
// variables when they are exported by hand.
param topicName = readEnvironmentVariable('EVENT_GRID_TOPIC_NAME')
param healthTopicName = readEnvironmentVariable('EVENT_GRID_HEALTH_TOPIC_NAME', '')
param functionAppName = readEnvironmentVariable('FUNCTION_APP_NAME')
param identityName = readEnvironmentVariable('MANAGED_IDENTITY_NAME')
param storageAccountName = readEnvironmentVariable('STORAGE_ACCOUNT_NAME')
param deadLetterContainerName = readEnvironmentVariable('EVENT_GRID_DEAD_LETTER_CONTAINER', 'eventgrid-deadletter')
param entraIdApplicationIdOrUri = readEnvironmentVariable('EVENT_GRID_DELIVERY_AUDIENCE', '')
param keyVaultName = readEnvironmentVariable('KEY_VAULT_NAME')
param eventsKeySecretName = readEnvironmentVariable('EVENTS_KEY_SECRET_NAME', 'rollback-events-key')
