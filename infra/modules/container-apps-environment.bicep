// The Container Apps environment: workload profiles (Consumption), in the virtual network's delegated subnet with a
// public ingress (internal: false) for the portal/API and the edge's TCP port, logs to Log Analytics.

@description('Name of the environment.')
param name string

param location string

param tags object = {}

@description('Resource id of the subnet delegated to Microsoft.App/environments (/23 or larger).')
param infrastructureSubnetId string

@description('Name of the Log Analytics workspace (same resource group) that receives console and system logs.')
param logAnalyticsWorkspaceName string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logAnalytics.properties.customerId
        sharedKey: logAnalytics.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

output id string = environment.id
output name string = environment.name
output defaultDomain string = environment.properties.defaultDomain
