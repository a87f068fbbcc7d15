// Entry point for `azd provision`. Minimal for now: the resource group with azd's naming and tags.
// The platform's resources (Container Apps, PostgreSQL, storage with WORM, Key Vault, identity, monitoring)
// arrive as modules under infra/ with the Azure deployment issue.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and tags.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
