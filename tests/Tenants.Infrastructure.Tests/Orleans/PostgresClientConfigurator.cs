using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Tenants.Infrastructure.Hosting;

namespace Tenants.Infrastructure.Tests.Orleans;

/// <summary>The test cluster's client finds gateways in PostgreSQL too.</summary>
public sealed class PostgresClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = configuration[PostgresSiloConfigurator.ConnectionStringKey]
            ?? throw new InvalidOperationException($"The test cluster has no '{PostgresSiloConfigurator.ConnectionStringKey}' property.");
        clientBuilder.UseTenantsPostgresClustering(connectionString);
    }
}
