// PostgreSQL flexible server for the search index, the Orleans membership table and grain state: inside the virtual
// network only (delegated subnet, private DNS zone, no public endpoint), TLS required, password authentication for
// the admin the Host connects as (the password comes from azd, never from this file).

@description('Name of the server.')
param name string

param location string

param tags object = {}

@allowed([ '15', '16' ])
param version string = '16'

@description('Compute size, e.g. Standard_B2s (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string = 'Standard_D2ds_v5'

@allowed([ 'Burstable', 'GeneralPurpose', 'MemoryOptimized' ])
@description('Tier of skuName; high availability needs GeneralPurpose or MemoryOptimized.')
param skuTier string = 'GeneralPurpose'

@minValue(32)
param storageSizeGB int = 128

@minLength(1)
@description('Administrator login the Host connects as.')
param administratorLogin string

@secure()
@description('Administrator password.')
param administratorLoginPassword string

@allowed([ 'Disabled', 'SameZone', 'ZoneRedundant' ])
param highAvailability string = 'Disabled'

@minValue(7)
@maxValue(35)
param backupRetentionDays int = 14

@allowed([ 'Disabled', 'Enabled' ])
@description('Whether backups are copied to the paired region (can only be chosen when the server is created).')
param geoRedundantBackup string = 'Disabled'

@description('Resource id of the subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.')
param delegatedSubnetId string

@description('Resource id of the private DNS zone (*.private.postgres.database.azure.com) linked to the network.')
param privateDnsZoneId string

@description('Name of the application database.')
param databaseName string = 'tenants'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorLoginPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup
    }
    highAvailability: {
      mode: highAvailability
    }
    network: {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// On by default; set here so that the setting is stated, and checked by tests/Tenants.Infra.Tests. After the database:
// the server takes one change at a time.
resource requireSecureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-defined'
  }
  dependsOn: [ database ]
}

output name string = server.name
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output administratorLogin string = administratorLogin
