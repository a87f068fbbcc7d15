// Breaks: require_secure_transport turned off.
resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: 'psql-bad'
}

resource plaintext 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'off'
    source: 'user-defined'
  }
}
