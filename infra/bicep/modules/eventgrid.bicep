// The custom topic pipelines publish release and trigger events to, in the CloudEvents 1.0 schema, and its webhook
// subscription to the app's POST /api/events. Publishers authenticate with Entra ID (EventGrid Data Sender):
// the topic's access keys are disabled.
import { tagsType } from 'types.bicep'

param topicName string

param location string

param tags tagsType

@description('Resource id of the user-assigned identity Event Grid dead-letters with.')
param identityId string

param storageAccountId string

param deadLetterContainerName string

@description('Principals (pipeline identities) allowed to publish to the topic.')
param publisherPrincipalIds string[]

@description('Create the webhook subscription. Event Grid validates the endpoint when the subscription is created, so the app code (POST /api/events) must be published first.')
param subscribe bool

@description('Also subscribe the app to the subscription\'s Health Resources system topic (needs subscribe).')
param subscribeHealthResources bool

@description('Name of the Health Resources system topic.')
param healthTopicName string

@description('The function app the subscription delivers to; its host default key goes into the webhook URL.')
param functionAppName string

// The event types POST /api/events accepts (the HTTP contract, API.md); anything else would be refused with 400.
var eventTypes = [
  'Rollback.Release.Deployed'
  'Rollback.Release.Verified'
  'Rollback.Release.Failed'
  'Rollback.Trigger.DeploymentVerificationFailed'
  'Rollback.Trigger.SmokeTestsFailed'
  'Rollback.Trigger.HealthDegraded'
  'Rollback.Trigger.DefinitionOfDoneViolated'
  'Rollback.Trigger.RuntimeDeviation'
]

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

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host's default function key. Microsoft.Web/sites/host has no Bicep type definitions, so the key is listed by
// resource id (a typed `existing` resource would warn BCP081). It only ever flows into a write-only URL, never an output.
var functionKey = listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default

// Shared by both subscriptions: the app's webhook, generous retries, and dead-lettering with the identity.
var webhookDestination = {
  endpointType: 'WebHook'
  properties: {
    // A webhook destination authenticates with the function key in the URL; the URL is stored write-only.
    endpointUrl: 'https://${functionApp.properties.defaultHostName}/api/events?code=${functionKey}'
    // One event a delivery: the app rejects a batch whole when one event is invalid, and a rejected delivery
    // is not retried, so batching would dead-letter good events with a bad one.
    maxEventsPerBatch: 1
    preferredBatchSizeInKilobytes: 64
  }
}

var retryPolicy = {
  maxDeliveryAttempts: 30
  eventTimeToLiveInMinutes: 1440
}

// Nothing is lost when the app is down past the retries: undeliverable events land in blob storage.
var deadLetter = {
  identity: {
    type: 'UserAssigned'
    userAssignedIdentity: identityId
  }
  deadLetterDestination: {
    endpointType: 'StorageBlob'
    properties: {
      resourceId: storageAccountId
      blobContainerName: deadLetterContainerName
    }
  }
}

resource toRollbackApp 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (subscribe) {
  parent: topic
  name: 'rollback-app'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: webhookDestination
    filter: {
      includedEventTypes: eventTypes
    }
    retryPolicy: retryPolicy
    deadLetterWithResourceIdentity: deadLetter
  }
}

// Azure Resource Health of the whole subscription (Health Resources system topic): the app turns Unavailable or
// Degraded of a resource mapped to a component into HealthDegraded and records the rest. A subscription has at most
// one such system topic; set subscribeHealthResources false when one exists and subscribe that one instead.
resource healthResources 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (subscribe && subscribeHealthResources) {
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

resource healthToRollbackApp 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribe && subscribeHealthResources) {
  parent: healthResources
  name: 'rollback-app'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: webhookDestination
    filter: {
      includedEventTypes: [
        'Microsoft.ResourceNotifications.HealthResources.AvailabilityStatusChanged'
      ]
    }
    retryPolicy: retryPolicy
    deadLetterWithResourceIdentity: deadLetter
  }
}

output topicName string = topic.name
output topicEndpoint string = topic.properties.endpoint
