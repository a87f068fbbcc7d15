// Breaks: the registry's admin user (a shared password) is on.
resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crbad'
  location: resourceGroup().location
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: true
  }
}
