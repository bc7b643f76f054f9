// Private-network mode (main.bicep `privateNetworking`): a virtual network with a subnet the Flex Consumption app
// integrates with and one for private endpoints, private endpoints for the storage account's blob, queue and table
// services and for Key Vault, and the private DNS zones that make their usual host names resolve to those endpoints
// from inside the network. Storage and Key Vault then turn public network access off.
import { tagsType } from 'types.bicep'

param name string

param location string

param tags tagsType

@description('Address space of the virtual network; the app and private-endpoint subnets are its first two /24s.')
param addressPrefix string

param storageAccountId string

param keyVaultId string

// One private endpoint a sub-resource; each zone's name is the service's privatelink zone in this cloud.
var privateLinks = [
  {
    groupId: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    groupId: 'queue'
    zone: 'privatelink.queue.${environment().suffixes.storage}'
  }
  {
    groupId: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    groupId: 'vault'
    // keyvaultDns is '.vault.azure.net' (or the sovereign cloud's); its private link zone is 'privatelink.vaultcore.<same>'.
    zone: replace(environment().suffixes.keyvaultDns, '.vault.', 'privatelink.vaultcore.')
  }
]

var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          // Flex Consumption integrates with a subnet delegated to Microsoft.App/environments.
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource privateEndpointSubnet 'subnets' existing = {
    name: privateEndpointSubnetName
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for link in privateLinks: {
    name: link.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (link, index) in privateLinks: {
    parent: zones[index]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for link in privateLinks: {
    name: 'pe-${link.groupId == 'vault' ? last(split(keyVaultId, '/')) : last(split(storageAccountId, '/'))}-${link.groupId}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet::privateEndpointSubnet.id
      }
      privateLinkServiceConnections: [
        {
          name: link.groupId
          properties: {
            privateLinkServiceId: link.groupId == 'vault' ? keyVaultId : storageAccountId
            groupIds: [
              link.groupId
            ]
          }
        }
      ]
    }
  }
]

// The endpoint registers its private address in the zone, so the service's public name resolves to it in the VNet.
resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (link, index) in privateLinks: {
    parent: privateEndpoints[index]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: link.groupId
          properties: {
            privateDnsZoneId: zones[index].id
          }
        }
      ]
    }
  }
]

output appSubnetId string = vnet::appSubnet.id
