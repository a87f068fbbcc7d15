// The container registry azd pushes the Host's image to. No admin user (and no anonymous pull, off by default): the
// Container Apps pull with the user-assigned identity (AcrPull on this registry only), azd pushes with the operator's
// Entra sign-in.

@description('Name of the registry (5-50 letters and digits).')
param name string

param location string

param tags object = {}

@allowed([ 'Basic', 'Standard' ])
param sku string = 'Basic'

@description('Name of the user-assigned identity (same resource group) that pulls images.')
param pullIdentityName string

// AcrPull: pull artifacts from a container registry.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43d09b82d9ca'

resource puller 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: pullIdentityName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, puller.id, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: puller.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
