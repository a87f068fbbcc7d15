// Logs and telemetry: the Log Analytics workspace the Container Apps environment writes console and system logs to,
// and a workspace-based Application Insights the Host exports traces and metrics to
// (APPLICATIONINSIGHTS_CONNECTION_STRING).

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

param location string

param tags object = {}

@minValue(30)
@maxValue(730)
@description('Days logs are kept in the workspace.')
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

// Not a secret: it names where telemetry goes, it grants no read access (the instrumentation key is ingestion-only).
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
