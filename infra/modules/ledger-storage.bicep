// The ledger's storage account: one container, `ledger`, under a container-level time-based retention policy (WORM).
// The policy is created unlocked so that a deployment can be tested; lock it once it is right (operations.md,
// "Retention and WORM"): a locked policy can be extended, never shortened or removed.

@description('Name of the storage account (3-24 lower-case letters and digits).')
param name string

param location string

param tags object = {}

@minValue(1)
@maxValue(146000)
@description('Days every ledger blob stays immutable after it is written (after its last append for append blobs).')
param ledgerRetentionDays int

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The service and auditors use Microsoft Entra identities (managed identity, read-only SAS by delegation).
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource ledger 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'ledger'
  properties: {
    publicAccess: 'None'
  }
}

resource worm 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: ledger
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: ledgerRetentionDays
    // The journal's append blobs must keep growing under the policy.
    allowProtectedAppendWrites: true
  }
}

output blobEndpoint string = storage.properties.primaryEndpoints.blob
output containerName string = ledger.name
