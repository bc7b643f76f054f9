// The webhook subscriptions to the app's POST /api/events: the custom topic's, and the Health Resources system
// topic's when there is one. Event Grid validates the endpoint when a subscription is created, so this runs only
// once the code answers there: from main.bicep with subscribeEventGrid, or from ../eventgrid-subscriptions.bicep,
// which the azd postdeploy hook deploys after `azd deploy`.

@description('The custom topic pipelines publish to.')
param topicName string

@description('The Health Resources system topic; empty for none.')
param healthTopicName string

@description('The function app the subscriptions deliver to.')
param functionAppName string

@secure()
@description('The app\'s `events` key (RollbackApi:Keys:events, role Events only): the webhook URL carries it.')
param eventsKey string

@description('Resource id of the user-assigned identity Event Grid dead-letters with.')
param identityId string

param storageAccountId string

param deadLetterContainerName string

@description('Application ID URI (or client id) of the app registration behind App Service authentication. Set: Event Grid also sends an Entra ID token for it (Entra ID webhook delivery), so its service principal needs the app role Events. Empty: the key alone.')
param entraIdApplicationIdOrUri string

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

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: topicName
}

// A placeholder when there is none: ARM checks the name segments of a child even when its condition is false, and
// an empty parent name would not pass.
resource healthResources 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: empty(healthTopicName) ? 'none' : healthTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// Shared by both subscriptions: the app's webhook, generous retries, and dead-lettering with the identity.
var webhookDestination = {
  endpointType: 'WebHook'
  properties: union(
    {
      // A webhook destination authenticates with the key in the URL (the `code` query parameter the app reads);
      // the URL is stored write-only.
      endpointUrl: 'https://${functionApp.properties.defaultHostName}/api/events?code=${eventsKey}'
      // One event a delivery: the app rejects a batch whole when one event is invalid, and a rejected delivery
      // is not retried, so batching would dead-letter good events with a bad one.
      maxEventsPerBatch: 1
      preferredBatchSizeInKilobytes: 64
    },
    empty(entraIdApplicationIdOrUri)
      ? {}
      : {
          azureActiveDirectoryTenantId: tenant().tenantId
          azureActiveDirectoryApplicationIdOrUri: entraIdApplicationIdOrUri
        }
  )
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

resource toRollbackApp 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
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

resource healthToRollbackApp 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (!empty(healthTopicName)) {
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
