// The one identity the function app runs as: storage, Key Vault, Application Insights, Event Grid dead-lettering and
// the deployment providers all see this principal, and every grant below is made to it.
import { tagsType } from 'types.bicep'

@description('Name of the user-assigned managed identity.')
param name string

param location string

param tags tagsType

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
