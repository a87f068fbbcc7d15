// The vault holding the checkpoint signing key `ledger-signing` (EC P-256, sign and verify only, never exported).
// Access is Azure RBAC only (no access policies), granted to the Host's identity on the key alone: Key Vault Crypto
// User lets it read the public key, list versions and sign, and nothing else in the vault.
//
// Network: the public endpoint stays enabled (publicNetworkAccess) so the firewall can be used, but its default action
// is Deny: the Container Apps subnet is allowed through its Microsoft.KeyVault service endpoint and trusted Azure
// services bypass. Creating the key below is a control-plane operation, which the firewall does not filter.
// Operators who use the data plane from their machines add their addresses (allowedIpRanges).

@description('Name of the vault (3-24 letters, digits and hyphens).')
param name string

param location string

param tags object = {}

@allowed([ 'Enabled', 'Disabled' ])
@description('Whether the public endpoint answers at all; Disabled needs a private endpoint (not deployed here).')
param publicNetworkAccess string = 'Enabled'

@description('Subnets (resource ids) allowed through the firewall; they need the Microsoft.KeyVault service endpoint.')
param allowedSubnetIds array = []

@description('Public IPv4 addresses or CIDR ranges allowed through the firewall.')
param allowedIpRanges array = []

@description('Name of the user-assigned identity (same resource group) that signs: gets Key Vault Crypto User on the key.')
param signerIdentityName string

@description('Name of the signing key; the Host reads it as Ledger:Signing:KeyVault:KeyName.')
param signingKeyName string = 'ledger-signing'

// Key Vault Crypto User: perform cryptographic operations using keys.
@description('Name of a certificate in this vault (PEM content type) that the edge serves for the proxy domain; empty: none yet.')
param edgeCertificateName string = ''

var keyVaultCryptoUserRoleId = '12338af0-0e69-4776-bea7-57ae8d297424'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource signer 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: signerIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // A signing key that could be purged would take the ability to prove old checkpoints with it.
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: [for subnetId in allowedSubnetIds: {
        id: subnetId
        ignoreMissingVnetServiceEndpoint: false
      }]
      ipRules: [for range in allowedIpRanges: {
        value: range
      }]
    }
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: signingKeyName
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: [ 'sign', 'verify' ]
    attributes: {
      enabled: true
    }
  }
}

resource signerOnKey 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, signer.id, keyVaultCryptoUserRoleId)
  scope: signingKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCryptoUserRoleId)
    principalId: signer.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// A certificate's key and chain are readable as the secret of the same name: the identity may read that secret alone.
resource edgeCertificate 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (!empty(edgeCertificateName)) {
  parent: vault
  name: empty(edgeCertificateName) ? 'none' : edgeCertificateName
}

resource edgeOnCertificate 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(edgeCertificateName)) {
  name: guid(vault.id, edgeCertificateName, signer.id, keyVaultSecretsUserRoleId)
  scope: edgeCertificate
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: signer.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
output signingKeyName string = signingKey.name
// Versionless: Container Apps picks up a renewed certificate's new version by itself.
output edgeCertificateSecretUri string = empty(edgeCertificateName) ? '' : '${vault.properties.vaultUri}secrets/${edgeCertificateName}'
