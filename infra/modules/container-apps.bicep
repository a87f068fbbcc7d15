// The two apps, both the Host's image in the environment, running as the user-assigned identity:
//   silo: roles silo,api. HTTPS ingress (portal and API) on 8080, TLS only; the Orleans silo (11111) and gateway
//         (30000) ports are mapped inside the environment only.
//   edge: role edge, an Orleans client. TCP ingress: clients' PostgreSQL connections on 5432 reach the proxy on 6432.
// Configuration is the Host's own (ASP.NET keys, `__` for `:`); the connection string and the credential keys are
// container app secrets, never plain environment values.

param location string

param tags object = {}

@description('Resource id of the Container Apps environment.')
param environmentId string

param siloName string

param edgeName string

@description('Image of the silo app; the placeholder until azd has deployed the Host.')
param siloImage string

@description('Whether siloImage is the Host (true) or the placeholder, which has no /health endpoints (false).')
param siloImageIsHost bool

param edgeImage string

param edgeImageIsHost bool

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of that identity (DefaultAzureCredential and the Key Vault signer pick it with this).')
param identityClientId string

param registryLoginServer string

param postgresHost string

param postgresDatabase string

param postgresAdminLogin string

@secure()
param postgresAdminPassword string

@secure()
@description('Secrets:CredentialKeys: base64 keys separated by commas, the sealing key first.')
param credentialKeys string

param blobEndpoint string

param ledgerContainerName string

param journalContainerName string

param exportContainerName string

param keyVaultEndpoint string

param signingKeyName string

@description('Ledger:OriginPrefix: written into every checkpoint, so it never changes once ledgers exist.')
param ledgerOriginPrefix string

@description('Domain clients reach endpoints under (<endpoint-id>.<domain>); empty: none.')
param proxyDomain string

param applicationInsightsConnectionString string

@description('Key Vault secret URI (versionless) of the PEM certificate the edge serves for proxyDomain; empty: a self-signed one.')
param edgeCertificateSecretUri string = ''

param clusterId string = 'tenants'

param serviceId string = 'tenants'

@minValue(1)
param siloMinReplicas int = 2

@minValue(1)
param siloMaxReplicas int = 10

@minValue(1)
param edgeMinReplicas int = 2

@minValue(1)
param edgeMaxReplicas int = 10

@minValue(100)
@description('Client connections per edge replica before another is added.')
param edgeConnectionsPerReplica int = 2000

@minValue(10)
@maxValue(95)
@description('Average CPU percentage of the silo replicas above which another is added.')
param siloCpuPercent int = 70

var httpPort = 8080
var edgePort = 6432
// The port PostgreSQL clients use; not 80/443, which TCP ingress cannot take in an environment with HTTP apps.
var edgePublicPort = 5432
var siloPort = 11111
var gatewayPort = 30000

// Quoted so that a password with ';' or '=' stays one value (DbConnectionStringBuilder doubles embedded quotes).
// VerifyFull: the server's certificate chains to a public root in the image's store and names *.postgres.database.azure.com.
var postgresConnectionString = 'Host=${postgresHost};Port=5432;Database=${postgresDatabase};Username=${postgresAdminLogin};Password="${replace(postgresAdminPassword, '"', '""')}";Ssl Mode=VerifyFull'

var secrets = [
  { name: 'postgres-connection-string', value: postgresConnectionString }
  { name: 'credential-keys', value: credentialKeys }
]

// Cluster:AdvertisedAddress is left unset on purpose: each replica must advertise its own address, Container Apps
// does not inject it, and the Host's fallback (the first non-loopback address) is the replica's own in a container.
var commonEnv = concat([
  // Kestrel's endpoint in appsettings.json binds 127.0.0.1:5080; the endpoint setting wins over ASPNETCORE_URLS.
  { name: 'ASPNETCORE_URLS', value: 'http://+:${httpPort}' }
  { name: 'Kestrel__Endpoints__Http__Url', value: 'http://+:${httpPort}' }
  { name: 'Cluster__Clustering', value: 'Postgres' }
  { name: 'Cluster__ClusterId', value: clusterId }
  { name: 'Cluster__ServiceId', value: serviceId }
  { name: 'Cluster__SiloPort', value: string(siloPort) }
  { name: 'Cluster__GatewayPort', value: string(gatewayPort) }
  { name: 'ConnectionStrings__Postgres', secretRef: 'postgres-connection-string' }
  { name: 'Secrets__CredentialKeys', secretRef: 'credential-keys' }
  { name: 'Ledger__OriginPrefix', value: ledgerOriginPrefix }
  { name: 'Ledger__Blob__ServiceUri', value: blobEndpoint }
  { name: 'Ledger__Blob__ContainerName', value: ledgerContainerName }
  { name: 'Ledger__Blob__JournalContainerName', value: journalContainerName }
  { name: 'Ledger__Blob__ExportContainerName', value: exportContainerName }
  { name: 'Ledger__Signing__Provider', value: 'KeyVault' }
  { name: 'Ledger__Signing__KeyVault__VaultUri', value: keyVaultEndpoint }
  { name: 'Ledger__Signing__KeyVault__KeyName', value: signingKeyName }
  { name: 'Ledger__Signing__KeyVault__ManagedIdentityClientId', value: identityClientId }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
  // Metrics go to Application Insights; the silo's HTTP ingress is public, so no scrape endpoint on it.
  { name: 'Telemetry__PrometheusEnabled', value: 'false' }
], empty(proxyDomain) ? [] : [
  { name: 'Edge__Tls__Domain', value: proxyDomain }
])

// The Host's probes, or, while the placeholder runs (it has no /health endpoints and would never turn ready, failing
// the deployment), a TCP check of the same port.
var hostProbes = [
  {
    type: 'Liveness'
    httpGet: { path: '/health/live', port: httpPort, scheme: 'HTTP' }
    initialDelaySeconds: 10
    periodSeconds: 10
  }
  {
    type: 'Readiness'
    httpGet: { path: '/health/ready', port: httpPort, scheme: 'HTTP' }
    initialDelaySeconds: 5
    periodSeconds: 10
  }
]
// The certificate from Key Vault, read with the identity, as a file: key, certificate and chain in one PEM.
var edgeCertificateMounted = !empty(edgeCertificateSecretUri) && !empty(proxyDomain)
var edgeCertificateSecrets = edgeCertificateMounted ? [ { name: 'edge-tls', keyVaultUrl: edgeCertificateSecretUri, identity: identityId } ] : []
var edgeCertificateVolumes = edgeCertificateMounted ? [ { name: 'edge-tls', storageType: 'Secret', secrets: [ { secretRef: 'edge-tls', path: 'edge.pem' } ] } ] : []
var edgeCertificateMounts = edgeCertificateMounted ? [ { volumeName: 'edge-tls', mountPath: '/certs' } ] : []
var edgeCertificateEnv = edgeCertificateMounted ? [
  { name: 'Edge__Tls__Certificates__0__Domain', value: proxyDomain }
  { name: 'Edge__Tls__Certificates__0__CertificatePath', value: '/certs/edge.pem' }
] : []

var placeholderProbes = [
  { type: 'Liveness', tcpSocket: { port: httpPort } }
  { type: 'Readiness', tcpSocket: { port: httpPort } }
]

resource edge 'Microsoft.App/containerApps@2025-01-01' = {
  name: edgeName
  location: location
  tags: union(tags, { 'azd-service-name': 'edge' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        transport: 'tcp'
        targetPort: edgePort
        exposedPort: edgePublicPort
      }
      registries: [ { server: registryLoginServer, identity: identityId } ]
      secrets: concat(secrets, edgeCertificateSecrets)
    }
    template: {
      volumes: edgeCertificateVolumes
      containers: [
        {
          name: 'edge'
          image: edgeImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(commonEnv, [
            { name: 'Tenants__Roles', value: 'edge' }
            { name: 'Edge__ListenAddress', value: '0.0.0.0' }
            { name: 'Edge__Port', value: string(edgePort) }
          ], edgeCertificateEnv)
          volumeMounts: edgeCertificateMounts
          probes: edgeImageIsHost ? hostProbes : placeholderProbes
        }
      ]
      scale: {
        minReplicas: edgeMinReplicas
        maxReplicas: max(edgeMinReplicas, edgeMaxReplicas)
        // Client connections are what an edge holds (about 20 KB each, docs/benchmarks.md): scale out on them.
        rules: [
          {
            name: 'client-connections'
            tcp: { metadata: { concurrentConnections: string(edgeConnectionsPerReplica) } }
          }
        ]
      }
      // Longer than Edge:DrainTimeout (10 s): open sessions get to finish before the replica is stopped.
      terminationGracePeriodSeconds: 30
    }
  }
}

resource silo 'Microsoft.App/containerApps@2025-01-01' = {
  name: siloName
  location: location
  // azd deploys the `host` service's image to the resource with this tag.
  tags: union(tags, { 'azd-service-name': 'host' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        transport: 'http'
        targetPort: httpPort
        allowInsecure: false
        additionalPortMappings: [
          { external: false, targetPort: siloPort, exposedPort: siloPort }
          { external: false, targetPort: gatewayPort, exposedPort: gatewayPort }
        ]
      }
      registries: [ { server: registryLoginServer, identity: identityId } ]
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'host'
          image: siloImage
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: concat(commonEnv, [
            { name: 'Tenants__Roles', value: 'silo,api' }
            // Where the API tells clients to connect: the edge's public name and port, not this node's own settings.
            { name: 'Api__Proxy__Host', value: edge.properties.configuration!.ingress!.fqdn }
            { name: 'Api__Proxy__Port', value: string(edgePublicPort) }
          ], edgeCertificateMounted ? [
            // With a real certificate, the portal's connection strings name endpoints as <id>.<proxyDomain> (SNI).
            { name: 'Api__Proxy__Domain', value: proxyDomain }
          ] : [])
          probes: siloImageIsHost ? hostProbes : placeholderProbes
        }
      ]
      scale: {
        minReplicas: siloMinReplicas
        maxReplicas: max(siloMinReplicas, siloMaxReplicas)
        // Silos carry ledgers (CPU: hashing, sealing, signing) more than HTTP requests: scale on CPU, not requests, so
        // a burst of portal traffic does not move ledgers between silos.
        rules: [
          {
            name: 'cpu'
            custom: { type: 'cpu', metadata: { type: 'Utilization', value: string(siloCpuPercent) } }
          }
        ]
      }
      // A silo being stopped seals and signs what its ledgers hold, then Orleans moves them (GracefulShutdownTests).
      terminationGracePeriodSeconds: 60
    }
  }
}

output siloName string = silo.name
output siloFqdn string = silo.properties.configuration!.ingress!.fqdn
output edgeName string = edge.name
output edgeFqdn string = edge.properties.configuration!.ingress!.fqdn
output edgePort int = edgePublicPort
