// The custom topic pipelines publish release and trigger events to, in the CloudEvents 1.0 schema, optionally the
// Health Resources system topic, and (once the code is published) their webhook subscriptions to the app's
// POST /api/events. Publishers authenticate with Entra ID (EventGrid Data Sender): the topic's access keys are disabled.
import { tagsType } from 'types.bicep'
import { toWorkspace } from 'diagnostics.bicep'

param topicName string

param location string

param tags tagsType

@description('Resource id of the user-assigned identity Event Grid dead-letters with.')
param identityId string

param storageAccountId string

param deadLetterContainerName string

@description('Principals (pipeline identities) allowed to publish to the topic.')
param publisherPrincipalIds string[]

@description('Create the webhook subscriptions. Event Grid validates the endpoint when a subscription is created, so the app code (POST /api/events) must be published first.')
param subscribe bool

@description('Create the Azure subscription\'s Health Resources system topic (its webhook subscription comes with the others).')
param createHealthTopic bool

@description('Name of the Health Resources system topic.')
param healthTopicName string

@description('The function app the subscriptions deliver to.')
param functionAppName string

@description('Log Analytics workspace the topics send delivery failures, publish failures and metrics to.')
param workspaceId string

@description('Application ID URI for Entra ID webhook delivery; empty for the key alone (eventsubscriptions.bicep).')
param entraIdApplicationIdOrUri string

@secure()
@description('The app\'s `events` key the subscriptions deliver with (eventsubscriptions.bicep).')
param eventsKey string

var eventGridDataSenderRoleId = 'd5a91429-5739-47e2-a06b-3470a27159e7'

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topicDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: topic
  properties: toWorkspace(workspaceId, 'AllMetrics')
}

resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in publisherPrincipalIds: {
    name: guid(topic.id, principalId, eventGridDataSenderRoleId)
    scope: topic
    properties: {
      principalId: principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventGridDataSenderRoleId)
    }
  }
]

// Azure Resource Health of the whole subscription (Health Resources system topic): the app turns Unavailable or
// Degraded of a resource mapped to a component into HealthDegraded and records the rest. A subscription has at most
// one such system topic; leave createHealthTopic off when one exists and subscribe that one instead. The topic needs
// no handshake, so it is created on the first deployment; only its event subscription waits for the code.
resource healthResources 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (createHealthTopic) {
  name: healthTopicName
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.ResourceNotifications.HealthResources'
  }
}

resource healthDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (createHealthTopic) {
  name: 'to-log-analytics'
  scope: healthResources
  properties: toWorkspace(workspaceId, 'AllMetrics')
}

module subscriptions 'eventsubscriptions.bicep' = if (subscribe) {
  name: 'eventsubscriptions'
  params: {
    topicName: topic.name
    healthTopicName: createHealthTopic ? healthResources.name : ''
    functionAppName: functionAppName
    identityId: identityId
    storageAccountId: storageAccountId
    deadLetterContainerName: deadLetterContainerName
    entraIdApplicationIdOrUri: entraIdApplicationIdOrUri
    eventsKey: eventsKey
  }
}

output topicName string = topic.name
output topicEndpoint string = topic.properties.endpoint
output healthTopicName string = createHealthTopic ? healthResources.name : ''
