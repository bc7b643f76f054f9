using 'main.bicep'

// Example parameters: one component deployed by a GitHub Actions workflow. Values here are not secrets; the token
// lives in Key Vault (docs/DEPLOY.md, "Secrets"). Override per environment with `--parameters key=value`.
// azd uses this file too (it prefers main.bicepparam to main.bicep): the switches below read the azd environment
// (`azd env set ROLLBACK_PRIVATE_NETWORKING true`), or the shell's variables with the az CLI.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'prod')

param rollbackBudget = '00:05:00'
param confirmationWindow = '00:30:00'
param incidentWebhookUrl = ''

// Keys as in docs/PROVIDERS.md (Rollback:Providers:{name}:GitHub:...), with "__" for ":".
param rollbackSettings = {
  Rollback__Providers__github__Type: 'GitHubActions'
  Rollback__Providers__github__GitHub__Owner: 'contoso'
  Rollback__Providers__github__GitHub__Repository: 'storefront'
  Rollback__Providers__github__GitHub__Workflow: 'rollback.yml'
  Rollback__Providers__github__GitHub__Ref: 'main'
  Rollback__Components__storefront__Kind: 'Storefront'
  Rollback__Components__storefront__Provider: 'github'
  Rollback__Components__storefront__RequireOperatorConfirmation: 'true'
  Rollback__Components__storefront__SmokeProbes__0__Name: 'home'
  Rollback__Components__storefront__SmokeProbes__0__Url: 'https://storefront.example.com/'
  Rollback__Components__storefront__HealthChecks__0__Name: 'health'
  Rollback__Components__storefront__HealthChecks__0__Url: 'https://storefront.example.com/health'
  Rollback__Components__storefront__HealthChecks__0__BodyContains: 'Healthy'
  Rollback__Components__storefront__HealthChecks__0__ConsecutivePasses: '2'
}

param providerSecrets = [
  {
    setting: 'Rollback__Providers__github__GitHub__Token'
    secretName: 'github-rollback-token'
  }
]

// Set to true on the second deployment, after the app code is published (Event Grid validates the endpoint).
// With azd, leave it unset: the postdeploy hook creates the subscriptions after `azd deploy`.
param subscribeEventGrid = bool(readEnvironmentVariable('ROLLBACK_SUBSCRIBE_EVENT_GRID', 'false'))
param subscribeHealthResources = bool(readEnvironmentVariable('ROLLBACK_SUBSCRIBE_HEALTH_RESOURCES', 'false'))

// Storage and Key Vault behind private endpoints, the app integrated with the VNet (docs/DEPLOY.md, "Private network").
param privateNetworking = bool(readEnvironmentVariable('ROLLBACK_PRIVATE_NETWORKING', 'false'))

// App Service authentication with the app registration that defines the app roles (docs/DEPLOY.md, "Who may call
// what"); empty leaves it off and only the callers' keys (RollbackApi:Keys) authenticate.
param authClientId = readEnvironmentVariable('ROLLBACK_AUTH_CLIENT_ID', '')
param authApplicationObjectId = readEnvironmentVariable('ROLLBACK_AUTH_APPLICATION_OBJECT_ID', '')

// Pipelines' identities (object ids, comma-separated) that read the pipeline key secret, and nothing else, from Key Vault.
param pipelinePrincipalIds = filter(map(split(readEnvironmentVariable('ROLLBACK_PIPELINE_PRINCIPAL_IDS', ''), ','), id => trim(id)), id => !empty(id))

// The callers' keys (alerts, events, pipeline) are drawn and written on the first provisioning only: once azd keeps
// this deployment's outputs (KEY_VAULT_NAME) in the environment, later `azd provision` runs keep the keys, so the
// pipelines' key does not change under them. `azd env set ROLLBACK_ROTATE_CALLER_KEYS true` rotates all three on the
// next provisioning (docs/DEPLOY.md, "Caller keys"). With the az CLI alone, KEY_VAULT_NAME is normally unset, so
// every deployment rotates unless ROLLBACK_ROTATE_CALLER_KEYS=false is exported.
param writeCallerKeys = empty(readEnvironmentVariable('KEY_VAULT_NAME', ''))
  ? bool(readEnvironmentVariable('ROLLBACK_ROTATE_CALLER_KEYS', 'true'))
  : bool(readEnvironmentVariable('ROLLBACK_ROTATE_CALLER_KEYS', 'false'))

param exampleAlertComponent = 'storefront'
param exampleAlertTargetId = ''
