// The keys the app's machine callers use, one per caller with only its role (RollbackApi:Keys:{name}, docs/
// CONFIGURATION.md "Who may call what"): `alerts` (the action group, Alerts), `events` (the Event Grid subscriptions,
// Events), `pipeline` (the deployment pipelines, Pipeline). The Functions host's own function keys are not used:
// every HTTP function is Anonymous-level and the library checks the caller, so a host key would be refused.
// Each key is a Key Vault secret: the app reads it through a Key Vault reference, the action group and the Event
// Grid subscriptions get it through a Key Vault parameter reference (getSecret) at deployment, and the pipelines
// read theirs at run time with Key Vault Secrets User on that one secret. A grant on the vault would also hand them
// every provider credential (the GitHub token, the GitHub App's private key, an incident routing key).
// Written through the control plane, so this works with the vault's public access off.

@description('The deployment\'s Key Vault.')
param vaultName string

@description('Write the keys (a rotation when the secrets exist). False: the secrets stay as they are and every caller keeps its key.')
param writeKeys bool

@description('Secret names of the callers\' keys: { alerts, events, pipeline }.')
param secretNames { alerts: string, events: string, pipeline: string }

@secure()
param alertsKey string

@secure()
param eventsKey string

@secure()
param pipelineKey string

@description('Object ids of the pipelines\' identities (service principals, managed identities) that read the pipeline key.')
param pipelineReaderPrincipalIds string[]

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

var callers = [
  { name: 'alerts', secretName: secretNames.alerts, header: 'code query parameter of the action group webhook' }
  { name: 'events', secretName: secretNames.events, header: 'code query parameter of the Event Grid webhooks' }
  { name: 'pipeline', secretName: secretNames.pipeline, header: 'x-functions-key header' }
]

var values = {
  alerts: alertsKey
  events: eventsKey
  pipeline: pipelineKey
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource written 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for caller in callers: if (writeKeys) {
    parent: vault
    name: caller.secretName
    properties: {
      value: values[caller.name]
      contentType: 'RollbackApi key "${caller.name}" (${caller.header})'
    }
  }
]

// The secrets as they are after this deployment, written now or earlier: outputs are evaluated once the resources
// are deployed, so the versions below are the ones just written.
resource alertsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretNames.alerts
}

resource eventsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretNames.events
}

resource pipelineSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretNames.pipeline
}

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in pipelineReaderPrincipalIds: {
    name: guid(pipelineSecret.id, principalId, keyVaultSecretsUserRoleId)
    scope: pipelineSecret
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    }
    dependsOn: [written]
  }
]

// Versioned secret URIs for the app's Key Vault references: a rotation changes the app settings, so the platform
// resolves the new keys in the same deployment that gives the callers theirs (an unversioned reference is
// refreshed only within 24 hours, and the callers would be refused meanwhile).
output secretUris { alerts: string, events: string, pipeline: string } = {
  alerts: alertsSecret.properties.secretUriWithVersion
  events: eventsSecret.properties.secretUriWithVersion
  pipeline: pipelineSecret.properties.secretUriWithVersion
}

output secretNames { alerts: string, events: string, pipeline: string } = secretNames
