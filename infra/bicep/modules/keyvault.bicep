// Provider secrets (a GitHub token or GitHub App private key, an incident webhook routing key) live here and reach
// the app only as Key Vault references resolved by the platform with the app's identity. The template writes no
// provider secret: operators set them with `az keyvault secret set` (docs/DEPLOY.md). The secrets it writes are the
// callers' keys (callerkeys.bicep).
import { tagsType } from 'types.bicep'
import { toWorkspace } from 'diagnostics.bicep'

param name string

param location string

param tags tagsType

@description('Principal (the app\'s managed identity) that reads secrets.')
param readerPrincipalId string

@description('Log Analytics workspace the vault sends its audit events (every secret read) and metrics to.')
param workspaceId string

@description('Private-network mode: public network access off; the app reaches the vault through a private endpoint.')
param privateNetworking bool

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC, not access policies: the same role assignments model as storage, auditable in one place.
    enableRbacAuthorization: true
    // Resource Manager reads the callers' keys for the action group and the Event Grid subscriptions (getSecret, a
    // Key Vault parameter reference); the deploying principal still needs Microsoft.KeyVault/vaults/deploy/action.
    enabledForTemplateDeployment: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: toWorkspace(workspaceId, 'AllMetrics')
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
