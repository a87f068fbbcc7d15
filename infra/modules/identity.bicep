// The one user-assigned managed identity the Container Apps run as: it pulls images from the registry, signs
// checkpoints with the Key Vault key and reads and writes the ledger's containers. Each role is granted in the module
// that owns the resource, scoped to that resource (a key, a container, the registry), never to a group.

@description('Name of the user-assigned managed identity.')
param name string

param location string

param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
