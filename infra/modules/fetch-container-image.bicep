// azd's way of keeping the deployed image across `azd provision`: when the app exists already, its containers are read
// back so that a re-provision does not put the placeholder image back over what `azd deploy` pushed. A module of its
// own because a template cannot read a resource it also writes.

@description('Whether the container app exists (azd sets SERVICE_<NAME>_RESOURCE_EXISTS).')
param exists bool

@description('Name of the container app.')
param name string

resource existingApp 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

output containers array = exists ? existingApp!.properties.template!.containers! : []
