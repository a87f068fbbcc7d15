// The ledger's storage account: the `ledger` container under a container-level time-based retention policy (WORM),
// and the `ledger-journal` container (the blob journal, Ledger:Journal=Blob) without WORM: its segments are deleted
// by the service once sealed, and by a lifecycle rule after `journalRetentionDays` without an append.
// A third container, `ledger-exports`, holds export bundles (copies derived from the ledger, deletable: no WORM).
// The Host's identity gets Storage Blob Data Contributor on each of the three containers, never on the account.
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

@minValue(1)
@maxValue(365)
@description('Days a deleted blob, or a deleted container, can be restored (blob and container soft delete).')
param softDeleteRetentionDays int = 14

@description('Subnets (resource ids) allowed through the firewall; they need the Microsoft.Storage service endpoint.')
param allowedSubnetIds array = []

@description('Public IPv4 addresses or CIDR ranges allowed through the firewall (operators, auditors with a SAS).')
param allowedIpRanges array = []

@description('Name of the user-assigned identity (same resource group) that writes the ledger: gets Storage Blob Data Contributor on each container.')
param writerIdentityName string

// Storage Blob Data Contributor: read, write and delete blobs (WORM still refuses deletes in `ledger`).
var blobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource writer 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: writerIdentityName
}

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
    // The Host reaches the account from the Container Apps subnet (service endpoint); everything else is denied
    // unless its address is listed. Deploying containers and policies is control plane, which this does not filter.
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: [for subnetId in allowedSubnetIds: {
        id: subnetId
        action: 'Allow'
      }]
      ipRules: [for range in allowedIpRanges: {
        value: range
        action: 'Allow'
      }]
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Protects the journal and exports from a mistaken delete; ledger blobs are protected by WORM as well.
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
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

// Export bundles: derived from the ledger, so deletable; the Host reads the name as Ledger:Blob:ExportContainerName.
resource exports 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'ledger-exports'
  properties: {
    publicAccess: 'None'
  }
}

resource ledgerWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ledger.id, writer.id, blobDataContributorRoleId)
  scope: ledger
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
    principalId: writer.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource journalWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(journal.id, writer.id, blobDataContributorRoleId)
  scope: journal
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
    principalId: writer.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource exportsWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(exports.id, writer.id, blobDataContributorRoleId)
  scope: exports
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
    principalId: writer.properties.principalId
    principalType: 'ServicePrincipal'
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
output exportContainerName string = exports.name
