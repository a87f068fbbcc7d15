// The virtual network: one subnet for the Container Apps environment (workload profiles need a subnet delegated to
// Microsoft.App/environments, /27 at least; /23 leaves room for the Consumption profile's scale-out) and one delegated
// to PostgreSQL flexible server, with the private DNS zone the server registers its address in.

@description('Name of the virtual network.')
param name string

param location string

param tags object = {}

@description('Address space of the virtual network.')
param addressPrefix string = '10.40.0.0/16'

@description('Subnet of the Container Apps environment (/23 or larger).')
param containerAppsSubnetPrefix string = '10.40.0.0/23'

@description('Subnet of the PostgreSQL flexible server.')
param postgresSubnetPrefix string = '10.40.2.0/24'

@description('Private DNS zone of the PostgreSQL server; must end in .private.postgres.database.azure.com.')
param postgresDnsZoneName string

var containerAppsSubnetName = 'snet-apps'
var postgresSubnetName = 'snet-postgres'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [ addressPrefix ]
    }
    subnets: [
      {
        name: containerAppsSubnetName
        properties: {
          addressPrefix: containerAppsSubnetPrefix
          delegations: [
            {
              name: 'Microsoft.App.environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          // The storage account and the vault deny the internet by default and allow this subnet: its traffic to them
          // goes over these service endpoints.
          serviceEndpoints: [
            { service: 'Microsoft.Storage' }
            { service: 'Microsoft.KeyVault' }
          ]
        }
      }
      {
        name: postgresSubnetName
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'Microsoft.DBforPostgreSQL.flexibleServers'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }

  resource containerAppsSubnet 'subnets' existing = {
    name: containerAppsSubnetName
  }

  resource postgresSubnet 'subnets' existing = {
    name: postgresSubnetName
  }
}

resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: postgresDnsZoneName
  location: 'global'
  tags: tags
}

resource postgresDnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresDnsZone
  name: '${vnet.name}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output vnetId string = vnet.id
output containerAppsSubnetId string = vnet::containerAppsSubnet.id
output postgresSubnetId string = vnet::postgresSubnet.id
// A module's outputs are there once all of it is deployed, the link included: the server is created after the zone
// resolves in the network.
output postgresDnsZoneId string = postgresDnsZone.id
