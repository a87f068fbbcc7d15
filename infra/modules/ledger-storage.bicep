// The ledger's storage account: the `ledger` container under a container-level time-based retention policy (WORM),
// and the `ledger-journal` container (the blob journal, Ledger:Journal=Blob) without WORM: its segments are deleted
// by the service once sealed, and by a lifecycle rule after `journalRetentionDays` without an append.
// The WORM policy is created unlocked so that a deployment can be tested; lock it once it is right (operations.md,
// "Retention and WORM"): a locked policy can be extended, never shortened or removed.

@description('Name of the storage account (3-24 lower-case letters and digits).')
param name string

param location string

param tags object = {}

@minValue(1)
@maxValue(146000)
@description('Days every ledger blob stays immutable after it is written (after its last append for append blobs).')
param ledgerRetentionDays int

@minValue(1)
@maxValue(365)
@description('Days after its last append that a blob journal segment is deleted by lifecycle management, sealed or not (a backstop: the service deletes sealed segments itself).')
param journalRetentionDays int = 7

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
    // Ledgers written before the journal had its own container have append blobs here, which must stay appendable.
    allowProtectedAppendWrites: true
  }
}

// The write-ahead journal: not part of what is verified, so no WORM (under the ledger's policy it would be kept for
// years, about 12 times the bytes of the blocks).
resource journal 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'ledger-journal'
  properties: {
    publicAccess: 'None'
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'journal-segments-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'appendBlob' ]
              prefixMatch: [ 'ledger-journal/' ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: journalRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

output blobEndpoint string = storage.properties.primaryEndpoints.blob
output containerName string = ledger.name
output journalContainerName string = journal.name
