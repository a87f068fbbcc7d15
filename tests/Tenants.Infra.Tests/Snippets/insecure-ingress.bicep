// Breaks: HTTP ingress that allows plain HTTP, TCP ingress on 443.
param environmentId string

resource web 'Microsoft.App/containerApps@2025-01-01' = {
  name: 'ca-web'
  location: resourceGroup().location
  properties: {
    environmentId: environmentId
    configuration: {
      ingress: { external: true, targetPort: 8080, transport: 'http', allowInsecure: true }
    }
  }
}

resource tcp 'Microsoft.App/containerApps@2025-01-01' = {
  name: 'ca-tcp'
  location: resourceGroup().location
  properties: {
    environmentId: environmentId
    configuration: {
      ingress: { external: true, targetPort: 6432, exposedPort: 443, transport: 'tcp' }
    }
  }
}
