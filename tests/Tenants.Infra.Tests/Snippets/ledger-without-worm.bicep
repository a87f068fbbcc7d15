// Breaks: blob soft delete off, and the ledger container's policy allows no appends and keeps nothing.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stbad'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: false }
  }
}

resource ledger 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'ledger'
}

resource worm 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: ledger
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: 0
    allowProtectedAppendWrites: false
  }
}
