// A user-defined type makes this a languageVersion 2.0 template (resources keyed by symbolic name); the violation is
// inside a module, i.e. a nested deployment's template.
type settings = {
  adminUserEnabled: bool
}

param registrySettings settings = { adminUserEnabled: true }

module registry 'registry-admin-user.bicep' = {
  name: 'registry'
}

output adminUser bool = registrySettings.adminUserEnabled
