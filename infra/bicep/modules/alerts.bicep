// The action group Azure Monitor alerts call the app through (POST /api/alerts, common alert schema), and an example
// metric alert rule on a component's resource whose `component` custom property names what to roll back.
import { tagsType } from 'types.bicep'

param actionGroupName string

@maxLength(12)
param actionGroupShortName string

param tags tagsType

@description('The function app the action group calls.')
param functionAppName string

@secure()
@description('The app\'s `alerts` key (RollbackApi:Keys:alerts, role Alerts only): the webhook URL carries it.')
param alertsKey string

@description('Component the example alert rolls back (a key of Rollback:Components). Empty: no example rule.')
param exampleAlertComponent string

@description('Resource id of a Microsoft.Web/sites resource of that component; the rule fires on its HTTP 5xx count.')
param exampleAlertTargetId string

@description('HTTP 5xx responses in five minutes above which the example rule fires.')
param exampleAlertThreshold int

@description('Secure webhook: object id of the app registration the action group gets Entra ID tokens for (the registration of App Service authentication); with authApplicationIdUri. Empty: the key alone. The action group\'s service principal (Azure Monitor\'s "AzNS AAD Webhook") needs the app role Alerts.')
param secureWebhookObjectId string

@description('Application ID URI of that app registration (api://<client id>).')
param authApplicationIdUri string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    webhookReceivers: [
      {
        name: 'rollback-app'
        // The app parses only the common alert schema (schemaId azureMonitorCommonAlertSchema).
        serviceUri: 'https://${functionApp.properties.defaultHostName}/api/alerts?code=${alertsKey}'
        useCommonAlertSchema: true
        // The key in the URL (stored write-only) always; an Entra ID token as well when the secure webhook is configured.
        useAadAuth: !empty(secureWebhookObjectId) && !empty(authApplicationIdUri)
        objectId: empty(secureWebhookObjectId) ? null : secureWebhookObjectId
        identifierUri: empty(authApplicationIdUri) ? null : authApplicationIdUri
        tenantId: empty(secureWebhookObjectId) ? null : tenant().tenantId
      }
    ]
  }
}

// Metric alert rules carry custom properties as the action's webHookProperties; the common alert schema delivers
// them as data.customProperties, where the app reads `component`.
resource exampleRule 'Microsoft.Insights/metricAlerts@2018-03-01' = if (!empty(exampleAlertComponent) && !empty(exampleAlertTargetId)) {
  name: 'rollback-${exampleAlertComponent}-http5xx'
  location: 'global'
  tags: tags
  properties: {
    description: 'HTTP 5xx on ${exampleAlertComponent}: the rollback app rolls the component back to its last known-good release.'
    severity: 1
    enabled: true
    scopes: [
      exampleAlertTargetId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'http5xx'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'Http5xx'
          operator: 'GreaterThan'
          threshold: exampleAlertThreshold
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
        webHookProperties: {
          component: exampleAlertComponent
        }
      }
    ]
  }
}

output actionGroupId string = actionGroup.id
