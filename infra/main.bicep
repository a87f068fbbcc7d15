// Entry point for `azd provision`: the resource group with azd's naming and tags, and in it, one module per concern:
// monitoring, network, identity, Key Vault (signing key), ledger storage (WORM), PostgreSQL, container registry and
// the Container Apps (silo, edge). Every role is least privilege and scoped to the one resource it is for.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and tags.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@secure()
@minLength(12)
@description('PostgreSQL administrator password: POSTGRES_ADMIN_PASSWORD, made once per azd environment by the preprovision hook.')
param postgresAdminPassword string

@secure()
@minLength(44)
@description('Secrets:CredentialKeys, e.g. `azd env set CREDENTIAL_KEYS $(openssl rand -base64 32)`; comma-separated, sealing key first.')
param credentialKeys string

@description('Domain clients reach endpoints under (<endpoint-id>.<domain>), also Edge:Tls:Domain; empty: none yet.')
param proxyDomain string = ''

@description('Name of a certificate (PEM content type) in the deployment\'s Key Vault for *.<proxyDomain>, served by the edge; empty: a self-signed one. docs/deploy.md says how to add it.')
param edgeCertificateName string = ''

@description('Ledger:OriginPrefix, written into every checkpoint: never change it once ledgers exist. Empty: <environmentName>.tenants/ledger.')
param ledgerOriginPrefix string = ''

@minValue(1)
@description('Silo replicas kept running (and the least the cluster scales in to).')
param siloMinReplicas int = 2

@minValue(1)
param edgeMinReplicas int = 2

@minValue(1)
@maxValue(146000)
@description('Days every ledger blob stays immutable (container-level time-based retention). Default: seven years.')
param ledgerRetentionDays int = 2557

@allowed([ 'Disabled', 'SameZone', 'ZoneRedundant' ])
param postgresHighAvailability string = 'Disabled'

@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 14

@allowed([ 'Disabled', 'Enabled' ])
param postgresGeoRedundantBackup string = 'Disabled'

@description('Whether the `host` container app exists already (set by azd); keeps the deployed image on re-provision.')
param hostExists bool = false

@description('Whether the `edge` container app exists already (set by azd).')
param edgeExists bool = false

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var originPrefix = empty(ledgerOriginPrefix) ? '${environmentName}.tenants/ledger' : ledgerOriginPrefix
// Listens on 8080 like the Host, so the TCP probes pass until `azd deploy` puts the Host's image in its place.
var placeholderImage = 'mcr.microsoft.com/dotnet/samples:aspnetapp'
var siloName = 'ca-silo-${resourceToken}'
var edgeName = 'ca-edge-${resourceToken}'
var postgresAdminLogin = 'tenantsadmin'
// Names known before deployment, so role assignment names (guid of scope, identity, role) are too.
var identityName = 'id-${resourceToken}'
var logAnalyticsName = 'log-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
    postgresDnsZoneName: 'psql-${resourceToken}.private.postgres.database.azure.com'
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${take(resourceToken, 21)}'
    location: location
    tags: tags
    allowedSubnetIds: [ network.outputs.containerAppsSubnetId ]
    signerIdentityName: identityName
    edgeCertificateName: edgeCertificateName
  }
  dependsOn: [ identity ]
}

module ledgerStorage 'modules/ledger-storage.bicep' = {
  name: 'ledger-storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    ledgerRetentionDays: ledgerRetentionDays
    allowedSubnetIds: [ network.outputs.containerAppsSubnetId ]
    writerIdentityName: identityName
  }
  dependsOn: [ identity ]
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: 'psql-${resourceToken}'
    location: location
    tags: tags
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    highAvailability: postgresHighAvailability
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    delegatedSubnetId: network.outputs.postgresSubnetId
    privateDnsZoneId: network.outputs.postgresDnsZoneId
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: 'cr${resourceToken}'
    location: location
    tags: tags
    pullIdentityName: identityName
  }
  dependsOn: [ identity ]
}

module containerAppsEnvironment 'modules/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: 'cae-${resourceToken}'
    location: location
    tags: tags
    infrastructureSubnetId: network.outputs.containerAppsSubnetId
    logAnalyticsWorkspaceName: logAnalyticsName
  }
  dependsOn: [ monitoring ]
}

module siloImage 'modules/fetch-container-image.bicep' = {
  name: 'silo-image'
  scope: rg
  params: {
    exists: hostExists
    name: siloName
  }
}

module edgeImage 'modules/fetch-container-image.bicep' = {
  name: 'edge-image'
  scope: rg
  params: {
    exists: edgeExists
    name: edgeName
  }
}

module containerApps 'modules/container-apps.bicep' = {
  name: 'container-apps'
  scope: rg
  // The apps pull with the identity and start signing and writing at once: the registry, vault and storage modules,
  // whose outputs are used below, each grant its role before they complete.
  params: {
    location: location
    tags: tags
    environmentId: containerAppsEnvironment.outputs.id
    siloName: siloName
    edgeName: edgeName
    siloImage: hostExists ? siloImage.outputs.containers[0].image : placeholderImage
    siloImageIsHost: hostExists
    edgeImage: edgeExists ? edgeImage.outputs.containers[0].image : placeholderImage
    edgeImageIsHost: edgeExists
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryLoginServer: registry.outputs.loginServer
    postgresHost: postgres.outputs.fullyQualifiedDomainName
    postgresDatabase: postgres.outputs.databaseName
    postgresAdminLogin: postgres.outputs.administratorLogin
    postgresAdminPassword: postgresAdminPassword
    credentialKeys: credentialKeys
    blobEndpoint: ledgerStorage.outputs.blobEndpoint
    ledgerContainerName: ledgerStorage.outputs.containerName
    journalContainerName: ledgerStorage.outputs.journalContainerName
    exportContainerName: ledgerStorage.outputs.exportContainerName
    keyVaultEndpoint: keyVault.outputs.endpoint
    signingKeyName: keyVault.outputs.signingKeyName
    ledgerOriginPrefix: originPrefix
    proxyDomain: proxyDomain
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    edgeCertificateSecretUri: keyVault.outputs.edgeCertificateSecretUri
    siloMinReplicas: siloMinReplicas
    edgeMinReplicas: edgeMinReplicas
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = containerAppsEnvironment.outputs.id
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerAppsEnvironment.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SERVICE_HOST_NAME string = containerApps.outputs.siloName
// The portal and API.
output SERVICE_HOST_URI string = 'https://${containerApps.outputs.siloFqdn}'
output SERVICE_EDGE_NAME string = containerApps.outputs.edgeName
// Where PostgreSQL clients connect (TCP ingress; TLS is the proxy's own).
output EDGE_ENDPOINT string = '${containerApps.outputs.edgeFqdn}:${containerApps.outputs.edgePort}'
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output POSTGRES_HOST string = postgres.outputs.fullyQualifiedDomainName
// Read by the Host as Ledger__Blob__ServiceUri and Ledger__Blob__*ContainerName (a local run against the deployment).
output LEDGER__BLOB__SERVICEURI string = ledgerStorage.outputs.blobEndpoint
output LEDGER__BLOB__CONTAINERNAME string = ledgerStorage.outputs.containerName
output LEDGER__BLOB__JOURNALCONTAINERNAME string = ledgerStorage.outputs.journalContainerName
output LEDGER__BLOB__EXPORTCONTAINERNAME string = ledgerStorage.outputs.exportContainerName
