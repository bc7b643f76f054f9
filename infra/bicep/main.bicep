// RollbackFunctions in Azure, the way the Azure Functions quickstarts deploy a Flex Consumption app: one resource
// group, one user-assigned identity, and no shared keys anywhere (storage, Application Insights and Event Grid have
// local auth off; provider secrets come from Key Vault references). Every resource that logs sends to the one Log
// Analytics workspace; privateNetworking puts storage and Key Vault behind private endpoints. `azd up` (azure.yaml)
// or the az CLI deploy it; docs/DEPLOY.md walks through both.
targetScope = 'resourceGroup'

import { tagsType, appSettingsType, secretSettingType } from 'modules/types.bicep'

metadata description = 'RollbackFunctions: Flex Consumption function app, identity-based storage, Key Vault, Event Grid and Azure Monitor wiring.'

@minLength(1)
@maxLength(20)
@description('Environment name (e.g. prod, staging); seeds resource names.')
param environmentName string

@description('Region of every regional resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Tags for every resource.')
param tags tagsType = {}

@description('Rollback budget, R <= 5 minutes (ROLLBACK_STRATEGY.md section 7), as a TimeSpan (hh:mm:ss).')
param rollbackBudget string = '00:05:00'

@description('How long an operator has to confirm restored availability (section 8), as a TimeSpan.')
param confirmationWindow string = '00:30:00'

@description('Where escalations are posted (section 11). Empty: escalations are recorded as undeliverable.')
param incidentWebhookUrl string = ''

@description('Component and provider settings as app settings, e.g. { "Rollback__Components__storefront__Provider": "github" }. Secrets never go here: use providerSecrets.')
param rollbackSettings appSettingsType = {}

@description('App settings whose value is a Key Vault secret (a GitHub token or App private key, an incident routing key); the vault holds the value, the app setting holds a Key Vault reference.')
param providerSecrets secretSettingType[] = []

@description('Principals (pipelines\' identities) allowed to publish events to the topic (EventGrid Data Sender).')
param eventPublisherPrincipalIds string[] = []

@description('True once the app code is published: creates the Event Grid subscriptions, whose creation handshakes with POST /api/events. Leave false on the first deployment; with azd the postdeploy hook creates them (eventgrid-subscriptions.bicep).')
param subscribeEventGrid bool = false

@description('Create the Health Resources system topic of this Azure subscription; its subscription to resource availability changes comes with the other Event Grid subscriptions.')
param subscribeHealthResources bool = false

@description('Private-network mode: storage and Key Vault with public network access off, reached through private endpoints (blob, queue, table, vault) with private DNS zones in a new VNet the app integrates with.')
param privateNetworking bool = false

@description('With privateNetworking: address space of the VNet (a /16 to /23; the app and private-endpoint subnets are its first two /24s).')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('Object ids of the pipelines\' identities that read the pipeline key from Key Vault (Key Vault Secrets User on that one secret, not the vault).')
param pipelinePrincipalIds string[] = []

@description('Secret holding the pipelines\' key (RollbackApi:Keys:pipeline, role Pipeline).')
param pipelineKeySecretName string = 'rollback-function-key'

@description('Write the callers\' keys (alerts, events, pipeline) into Key Vault: on the first deployment, and to rotate them. False keeps the secrets, and so every caller\'s key, as they are; main.bicepparam turns it off once the environment has been provisioned (docs/DEPLOY.md, "Caller keys").')
param writeCallerKeys bool = true

// newGuid() is only allowed as a parameter default: each deployment that writes the keys and passes none draws new
// ones (122 random bits each). Pass a value to set a key of your own.
@secure()
@description('Key of the action group (RollbackApi:Keys:alerts, role Alerts); written only with writeCallerKeys.')
param alertsKey string = newGuid()

@secure()
@description('Key of the Event Grid subscriptions (RollbackApi:Keys:events, role Events); written only with writeCallerKeys.')
param eventsKey string = newGuid()

@secure()
@description('Key of the pipelines (RollbackApi:Keys:pipeline, role Pipeline); written only with writeCallerKeys.')
param pipelineKey string = newGuid()

@description('App Service authentication: client id of the app registration that defines the app roles (Reader, Pipeline, Alerts, Events, Operator). Empty: the platform\'s authentication stays off and only the callers\' keys (RollbackApi:Keys) authenticate.')
param authClientId string = ''

@description('Issuer of the tokens App Service authentication accepts: the tenant\'s v2.0 issuer.')
param authOpenIdIssuer string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

@description('Application ID URI of the app registration (the audience of v1 tokens and of Event Grid\'s and Azure Monitor\'s Entra ID deliveries).')
param authApplicationIdUri string = empty(authClientId) ? '' : 'api://${authClientId}'

@description('App setting with the app registration\'s client secret (list it in providerSecrets as a Key Vault reference) for the operator page\'s browser sign-in with the code flow; empty for none.')
param authClientCredentialSettingName string = ''

@description('Object id of the app registration, for the action group\'s secure (Entra ID) webhook; empty: the webhook uses the alerts key alone.')
param authApplicationObjectId string = ''

@description('Component the example alert rule rolls back; empty for no example rule.')
param exampleAlertComponent string = ''

@description('Resource id of a web app of that component (Microsoft.Web/sites); the example rule watches its HTTP 5xx.')
param exampleAlertTargetId string = ''

@description('HTTP 5xx in five minutes above which the example rule fires.')
param exampleAlertThreshold int = 10

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Task hub of the Durable Task Azure Storage provider.')
param taskHubName string = 'RollbackHub'

@description('Prefix of the app\'s own tables.')
param tablePrefix string = 'Rollback'

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, location, environmentName))
var keyVaultName = 'kv-rb-${resourceToken}'
var callerKeySecretNames = {
  alerts: 'rollback-alerts-key'
  events: 'rollback-events-key'
  pipeline: pipelineKeySecretName
}
var functionAppName = 'func-rollback-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var deadLetterContainerName = 'eventgrid-deadletter'
var allTags = union(tags, { 'azd-env-name': environmentName })
// Event Grid webhook delivery with an Entra ID token once App Service authentication is configured.
var entraIdDeliveryAudience = empty(authClientId) ? '' : authApplicationIdUri

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-rollback-${resourceToken}'
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'strollback${resourceToken}'
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.logAnalyticsId
    privateNetworking: privateNetworking
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-rollback-${resourceToken}'
    applicationInsightsName: 'appi-rollback-${resourceToken}'
    location: location
    tags: allTags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: allTags
    readerPrincipalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.logAnalyticsId
    privateNetworking: privateNetworking
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    name: 'vnet-rollback-${resourceToken}'
    location: location
    tags: allTags
    addressPrefix: vnetAddressPrefix
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

// One key per machine caller, each with only its role; the Functions host's own keys are not used (every HTTP
// function is Anonymous-level and the library checks the caller: docs/CONFIGURATION.md, "Who may call what").
module callerKeys 'modules/callerkeys.bicep' = {
  name: 'callerkeys'
  params: {
    vaultName: keyVault.outputs.name
    writeKeys: writeCallerKeys
    secretNames: callerKeySecretNames
    alertsKey: alertsKey
    eventsKey: eventsKey
    pipelineKey: pipelineKey
    pipelineReaderPrincipalIds: pipelinePrincipalIds
  }
}

// The action group and the Event Grid subscriptions get their key from the vault (a Key Vault parameter reference,
// resolved by Resource Manager at deployment), never from a template value: the same way whether or not this
// deployment wrote it, and the same way eventgrid-subscriptions.bicep reads it in the second phase. Their modules
// start after the function app's, which waits for the keys (its app settings name their versions), so the secrets
// exist when they are read.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// The keys as the app reads them: Key Vault references to the versions the callers got in this deployment.
var callerKeySettings = {
  RollbackApi__Keys__alerts__Key: '@Microsoft.KeyVault(SecretUri=${callerKeys.outputs.secretUris.alerts})'
  RollbackApi__Keys__alerts__Roles: 'Alerts'
  RollbackApi__Keys__events__Key: '@Microsoft.KeyVault(SecretUri=${callerKeys.outputs.secretUris.events})'
  RollbackApi__Keys__events__Roles: 'Events'
  RollbackApi__Keys__pipeline__Key: '@Microsoft.KeyVault(SecretUri=${callerKeys.outputs.secretUris.pipeline})'
  RollbackApi__Keys__pipeline__Roles: 'Pipeline'
}

// Key Vault references, resolved by the platform with keyVaultReferenceIdentity (the user-assigned identity).
var secretSettings = toObject(
  providerSecrets,
  secret => secret.setting,
  secret => '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${secret.secretName})'
)

var rollbackCoreSettings = union(
  {
    Rollback__Budget: rollbackBudget
    Rollback__ConfirmationWindow: confirmationWindow
  },
  // Absent rather than empty: an empty string is not a URI.
  empty(incidentWebhookUrl) ? {} : { Rollback__Incident__Url: incidentWebhookUrl }
)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: 'plan-rollback-${resourceToken}'
    functionAppName: functionAppName
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    extraAppSettings: union(rollbackCoreSettings, rollbackSettings, secretSettings, callerKeySettings)
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    taskHubName: taskHubName
    tablePrefix: tablePrefix
    workspaceId: monitoring.outputs.logAnalyticsId
    virtualNetworkSubnetId: network.?outputs.appSubnetId ?? ''
    authClientId: authClientId
    authOpenIdIssuer: authOpenIdIssuer
    authApplicationIdUri: authApplicationIdUri
    authClientCredentialSettingName: authClientCredentialSettingName
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    topicName: 'evgt-rollback-${resourceToken}'
    location: location
    tags: allTags
    identityId: identity.outputs.id
    storageAccountId: storage.outputs.id
    deadLetterContainerName: deadLetterContainerName
    publisherPrincipalIds: eventPublisherPrincipalIds
    subscribe: subscribeEventGrid
    createHealthTopic: subscribeHealthResources
    healthTopicName: 'evgst-health-${resourceToken}'
    functionAppName: functionApp.outputs.name
    workspaceId: monitoring.outputs.logAnalyticsId
    entraIdApplicationIdOrUri: entraIdDeliveryAudience
    eventsKey: vault.getSecret(callerKeySecretNames.events)
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    actionGroupName: 'ag-rollback-${resourceToken}'
    actionGroupShortName: 'rollback'
    tags: allTags
    functionAppName: functionApp.outputs.name
    exampleAlertComponent: exampleAlertComponent
    exampleAlertTargetId: exampleAlertTargetId
    exampleAlertThreshold: exampleAlertThreshold
    secureWebhookObjectId: authApplicationObjectId
    authApplicationIdUri: authApplicationIdUri
    alertsKey: vault.getSecret(callerKeySecretNames.alerts)
  }
}

// Outputs are azd environment values after `azd provision` (the postdeploy hook reads them) and what
// `az deployment group show` prints.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_CLIENT_ID string = identity.outputs.clientId
output MANAGED_IDENTITY_NAME string = identity.outputs.name
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output KEY_VAULT_NAME string = keyVault.outputs.name
output EVENT_GRID_TOPIC_NAME string = eventGrid.outputs.topicName
output EVENT_GRID_TOPIC_ENDPOINT string = eventGrid.outputs.topicEndpoint
output EVENT_GRID_HEALTH_TOPIC_NAME string = eventGrid.outputs.healthTopicName
output EVENT_GRID_DEAD_LETTER_CONTAINER string = deadLetterContainerName
output EVENT_GRID_DELIVERY_AUDIENCE string = entraIdDeliveryAudience
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsId
output PIPELINE_KEY_SECRET_NAME string = callerKeys.outputs.secretNames.pipeline
output EVENTS_KEY_SECRET_NAME string = callerKeys.outputs.secretNames.events
output ACTION_GROUP_ID string = alerts.outputs.actionGroupId
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
