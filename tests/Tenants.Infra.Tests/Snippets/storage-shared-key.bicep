// Breaks: shared keys on, http allowed, TLS 1.0, public blobs, no blob service (so no soft delete).
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stbad'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: true
    supportsHttpsTrafficOnly: false
    minimumTlsVersion: 'TLS1_0'
    allowBlobPublicAccess: true
  }
}
