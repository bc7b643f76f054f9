// The function key pipelines call the app with, kept in the vault as one secret, and Key Vault Secrets User for the
// pipelines' identities on that secret alone. A grant on the vault would also hand them every provider credential
// (the GitHub token, the GitHub App's private key, an incident routing key).

@description('The deployment\'s Key Vault.')
param vaultName string

@description('The function app whose host key is stored.')
param functionAppName string

@description('Name of the secret that holds the key.')
param secretName string

@description('Host key (functionKeys) whose value is stored: `default`, or a named key made for the pipelines (az functionapp keys set --key-type functionKeys), which the app\'s key-to-role mapping can name.')
param keyName string

@description('Object ids of the pipelines\' identities (service principals, managed identities) that read the secret.')
param readerPrincipalIds string[]

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// Microsoft.Web/sites/host has no Bicep type definitions, so the key is listed by resource id (a typed `existing`
// resource would warn BCP081). Written through the control plane, so it works with the vault's public access off.
resource pipelineKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretName
  properties: {
    value: listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys[keyName]
    contentType: 'Function key of ${functionAppName} for pipelines (x-functions-key header)'
  }
}

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in readerPrincipalIds: {
    name: guid(pipelineKey.id, principalId, keyVaultSecretsUserRoleId)
    scope: pipelineKey
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    }
  }
]

output secretName string = pipelineKey.name
