// Flex Consumption (FC1, Linux) plan and the function app on .NET 10 isolated. The app runs as the user-assigned
// identity and reaches every dependency with it: no connection string with a key, no publishing password.
import { tagsType, appSettingsType } from 'types.bicep'
import { toWorkspace } from 'diagnostics.bicep'

param planName string

param functionAppName string

param location string

param tags tagsType

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity: Azure.Identity and the Functions host pick the user-assigned identity by it.')
param identityClientId string

param blobEndpoint string

param queueEndpoint string

param tableEndpoint string

param deploymentContainerName string

param applicationInsightsConnectionString string

@description('Settings specific to this deployment (the Rollback__* section, Key Vault references), merged last.')
param extraAppSettings appSettingsType

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Task hub of the Durable Task Azure Storage provider (host.json reads %RollbackTaskHub%).')
param taskHubName string

@description('Prefix of the app\'s own tables (ledger, rollbacks, component state).')
param tablePrefix string

@description('Log Analytics workspace the app sends its FunctionAppLogs and metrics to.')
param workspaceId string

@description('Subnet (delegated to Microsoft.App/environments) the app\'s outbound traffic goes through; empty for none.')
param virtualNetworkSubnetId string

@description('Client id of the app registration App Service authentication validates tokens for; empty leaves the platform\'s authentication off.')
param authClientId string

@description('Issuer of the tokens: the tenant\'s v2.0 issuer, https://login.microsoftonline.com/<tenant id>/v2.0.')
param authOpenIdIssuer string

@description('Application ID URI of the app registration (api://<client id>): the audience of v1 tokens, such as Azure Monitor\'s secure webhook sends.')
param authApplicationIdUri string

@description('App setting holding the app registration\'s client secret (a Key Vault reference): only the operator page\'s browser sign-in (code flow) needs it. Empty: tokens are validated and browser sign-in uses the ID token flow.')
param authClientCredentialSettingName string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  // azd deploys the `api` service of azure.yaml to the resource that carries this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings are resolved with this identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    // Private-network mode: outbound traffic (storage, Key Vault) leaves through the VNet and its private endpoints.
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Publishing goes through Entra ID (az functionapp deploy, func publish); basic-auth publishing stays off.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  // Identity-based connections: "<connection>__credential" = managedidentity with the user-assigned identity's
  // clientId; the service URIs (from the account, so right in every cloud) name the endpoints. Flex Consumption
  // sets the worker runtime itself (functionAppConfig), so FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION
  // must not appear here.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(
      {
        // The Functions host: keys, leases, timers.
        AzureWebJobsStorage__blobServiceUri: blobEndpoint
        AzureWebJobsStorage__queueServiceUri: queueEndpoint
        AzureWebJobsStorage__tableServiceUri: tableEndpoint
        AzureWebJobsStorage__credential: 'managedidentity'
        AzureWebJobsStorage__clientId: identityClientId
        // The Durable Task Azure Storage provider (host.json: connectionName "DurableTaskStorage").
        DurableTaskStorage__blobServiceUri: blobEndpoint
        DurableTaskStorage__queueServiceUri: queueEndpoint
        DurableTaskStorage__tableServiceUri: tableEndpoint
        DurableTaskStorage__credential: 'managedidentity'
        DurableTaskStorage__clientId: identityClientId
        RollbackTaskHub: taskHubName
        // The app's ledger, rollbacks and component state (TableStorageConnection, connection "RollbackStorage").
        RollbackStorage__tableServiceUri: tableEndpoint
        RollbackStorage__credential: 'managedidentity'
        RollbackStorage__clientId: identityClientId
        RollbackStorageOptions__TablePrefix: tablePrefix
        // Telemetry authenticated with Entra ID: the resource has local auth off.
        APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
        // Azure.Identity's DefaultAzureCredential in the app picks the user-assigned identity by this.
        AZURE_CLIENT_ID: identityClientId
      },
      extraAppSettings
    )
  }
}

// App Service authentication (Entra ID) supplies the caller's principal and app roles (Reader, Pipeline, Alerts,
// Events, Operator; docs/DEPLOY.md) to the app in X-MS-CLIENT-PRINCIPAL. It validates bearer tokens and serves the
// operator page's sign-in, but lets unauthenticated requests through (AllowAnonymous) instead of answering them
// itself: machine callers that cannot use Entra ID still come with their key (RollbackApi:Keys), and the app's one role policy
// decides every request, so a missing credential is the app's 401 and a wrong role its 403, both as problem details,
// not the platform's bare 401 or a login redirect. With authClientId empty the platform's authentication is
// explicitly off, so a principal header can never be trusted.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: !empty(authClientId)
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    // Without an app registration there is no provider to describe: a blank client id is not one.
    identityProviders: empty(authClientId) ? {} : {
      azureActiveDirectory: {
        enabled: true
        registration: union(
          {
            clientId: authClientId
            openIdIssuer: authOpenIdIssuer
          },
          empty(authClientCredentialSettingName) ? {} : { clientSecretSettingName: authClientCredentialSettingName }
        )
        validation: {
          // v2.0 tokens carry the client id as audience, v1 tokens the Application ID URI.
          allowedAudiences: empty(authApplicationIdUri) ? [authClientId] : [authClientId, authApplicationIdUri]
        }
      }
    }
    login: {
      // The app reads the principal, never a stored token: nothing to keep, nothing to leak.
      tokenStore: {
        enabled: false
      }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: toWorkspace(workspaceId, 'AllMetrics')
}

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
