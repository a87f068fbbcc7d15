// Entry point for `azd provision`: the resource group with azd's naming and tags, and the ledger's storage with its
// WORM policy. The rest of the platform (Container Apps, PostgreSQL, Key Vault, identity, monitoring) arrives as
// modules under infra/ with the Azure deployment issue.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and tags.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@minValue(1)
@maxValue(146000)
@description('Days every ledger blob stays immutable (container-level time-based retention). Default: seven years.')
param ledgerRetentionDays int = 2557

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module ledgerStorage 'modules/ledger-storage.bicep' = {
  name: 'ledger-storage'
  scope: rg
  params: {
    name: 'st${uniqueString(subscription().id, environmentName)}'
    location: location
    tags: tags
    ledgerRetentionDays: ledgerRetentionDays
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
// Read by the Host as Ledger__Blob__ServiceUri and Ledger__Blob__ContainerName.
output LEDGER__BLOB__SERVICEURI string = ledgerStorage.outputs.blobEndpoint
output LEDGER__BLOB__CONTAINERNAME string = ledgerStorage.outputs.containerName
output LEDGER__BLOB__JOURNALCONTAINERNAME string = ledgerStorage.outputs.journalContainerName
