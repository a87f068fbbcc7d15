using Npgsql;
using Orleans.TestingHost;
using Tenants.Infrastructure.Postgres;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Orleans;

public sealed class OrleansPostgresClusterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    public const string StorageName = "tenants";

    private const int ActiveStatus = 3;
    private static readonly TimeSpan _conditionTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cluster_TwoSilos_BothActiveInMembershipTable()
    {
        var connectionString = await CreateMigratedDatabaseAsync("membership");
        var cluster = BuildCluster(connectionString, serviceId: Guid.NewGuid().ToString("N"));
        try
        {
            await cluster.DeployAsync();

            var active = await WaitForAsync(
                () => CountMembersAsync(connectionString, cluster.Options.ClusterId, ActiveStatus),
                count => count == 2);

            Assert.Equal(2, active);
            Assert.Equal(2, cluster.GetActiveSilos().Count());
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task GrainState_DeactivatedAndClusterRestarted_IsReadBack()
    {
        var connectionString = await CreateMigratedDatabaseAsync("grainstate");
        var serviceId = Guid.NewGuid().ToString("N");

        var first = BuildCluster(connectionString, serviceId);
        try
        {
            await first.DeployAsync();
            var grain = first.Client.GetGrain<ICounterGrain>("tenant-a");
            await grain.IncrementAsync();
            await grain.IncrementAsync();
            Assert.Equal(3, await grain.IncrementAsync());

            // A new activation must load the state from PostgreSQL.
            await grain.DeactivateAsync();
            Assert.Equal(3, await WaitForAsync(grain.GetAsync, value => value == 3));
            Assert.Equal(4, await grain.IncrementAsync());
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = BuildCluster(connectionString, serviceId);
        try
        {
            await second.DeployAsync();
            var grain = second.Client.GetGrain<ICounterGrain>("tenant-a");

            Assert.Equal(4, await grain.GetAsync());
            Assert.Equal(0, await second.Client.GetGrain<ICounterGrain>("tenant-b").GetAsync());
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleans_grain_state WHERE service_id = @serviceId AND grain_id_extension = 'tenant-a'", connection);
        command.Parameters.AddWithValue("serviceId", serviceId);
        Assert.Equal(4, await command.ExecuteScalarAsync());
    }

    private async Task<string> CreateMigratedDatabaseAsync(string prefix)
    {
        var connectionString = await postgres.CreateUniqueDatabaseAsync(prefix);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator().ApplyAsync(dataSource);
        return connectionString;
    }

    private static TestCluster BuildCluster(string connectionString, string serviceId)
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Options.ServiceId = serviceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[PostgresSiloConfigurator.ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClientConfigurator>();
        return builder.Build();
    }

    private static async Task<long> CountMembersAsync(string connectionString, string clusterId, int status)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = @clusterId AND status = @status", connection);
        command.Parameters.AddWithValue("clusterId", clusterId);
        command.Parameters.AddWithValue("status", status);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(_conditionTimeout);
        var value = await probe();
        while (!done(value) && !timeout.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            value = await probe();
        }

        return value;
    }
}
