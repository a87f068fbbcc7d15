// Breaks: access policies instead of RBAC, no purge protection, an RSA key.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-bad'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: false
    enableSoftDelete: true
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: '00000000-0000-0000-0000-000000000000'
        permissions: { keys: [ 'all' ] }
      }
    ]
  }
}

resource key 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'ledger-signing'
  properties: {
    kty: 'RSA'
    keySize: 2048
  }
}
