using Orleans.TestingHost;
using Tenants.Infrastructure.Hosting;

namespace Tenants.Infrastructure.Tests.Orleans;

/// <summary>Silos of the test cluster use the real ADO.NET clustering and grain storage on the test database.</summary>
public sealed class PostgresSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "TenantsTestPostgres";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"The test cluster has no '{ConnectionStringKey}' property.");
        siloBuilder
            .UseTenantsPostgresClustering(connectionString)
            .AddTenantsPostgresGrainStorage(OrleansPostgresClusterTests.StorageName, connectionString);
    }
}
