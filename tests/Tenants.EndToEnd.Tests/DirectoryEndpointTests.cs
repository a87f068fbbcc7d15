using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Endpoints created through the tenant grain, not configuration: the Host's edge finds them in the global endpoint
/// directory. The test is an Orleans client of the Host's cluster (as the API will be) and a Postgres client of its
/// proxy; changes reach new sessions within the directory cache time (set to 1 s here).
/// </summary>
public sealed class DirectoryEndpointTests
{
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EndpointFromTheTenantGrain_IsReachable_ThenRefusedWhenDisabled_ThenUnknownWhenDeleted()
    {
        await using var platform = await IsolatedPlatform.StartAsync("directory", (settings, _) => settings
            .Set("Edge__Directory__CacheTtl", "00:00:01")
            .Set("Edge__Directory__NegativeCacheTtl", "00:00:01"));
        await platform.StartHostAsync();
        using var client = await platform.ClusterClientAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var tenant = grains.GetGrain<ITenantGrain>("directory");
        await tenant.CreateAsync("Directory Ltd", new TenantMember { Id = "olivia", Email = "olivia@example.com", Role = MemberRole.Owner });

        // Unknown before it exists, exactly as a configured id that does not exist.
        var before = await Assert.ThrowsAsync<PostgresException>(() => ConnectAsync(platform, "grain-db", viaUserName: false));
        Assert.Equal(("08004", "endpoint 'grain-db' does not exist"), (before.SqlState, before.MessageText));

        await tenant.AddEndpointAsync("olivia", new EndpointSettings
        {
            Id = "grain-db",
            UpstreamHost = platform.Postgres.Host,
            UpstreamPort = platform.Postgres.Port,
        });

        // Reachable both ways, once the "does not exist" answer has expired from the edge's cache.
        Assert.Equal(1, await Eventually.MatchAsync(() => TryQueryAsync(platform, "grain-db", viaUserName: false), n => n == 1, ChangeTimeout, Describe));
        Assert.Equal(1, await QueryAsync(platform, "grain-db", viaUserName: true));

        await tenant.SetEndpointEnabledAsync("olivia", "grain-db", enabled: false);
        var disabled = await Eventually.MatchAsync(() => ErrorAsync(platform, "grain-db"), e => e?.SqlState == "28000", ChangeTimeout, e => $"last: {e?.SqlState} {e?.MessageText}");
        Assert.Equal("endpoint 'grain-db' is disabled", disabled!.MessageText);

        await tenant.DeleteEndpointAsync("olivia", "grain-db");
        var deleted = await Eventually.MatchAsync(() => ErrorAsync(platform, "grain-db"), e => e?.SqlState == "08004", ChangeTimeout, e => $"last: {e?.SqlState} {e?.MessageText}");
        Assert.Equal("endpoint 'grain-db' does not exist", deleted!.MessageText);
        var bySuffix = await Assert.ThrowsAsync<PostgresException>(() => ConnectAsync(platform, "grain-db", viaUserName: true));
        Assert.Equal("08004", bySuffix.SqlState);
    }

    private static string ConnectionString(IsolatedPlatform platform, string endpointId, bool viaUserName)
    {
        var builder = new NpgsqlConnectionStringBuilder(platform.EndpointConnectionString(endpointId));
        if (viaUserName)
        {
            builder.Options = null;
            builder.Username = $"{platform.Postgres.Username}@{endpointId}";
        }

        return builder.ConnectionString;
    }

    private static async Task ConnectAsync(IsolatedPlatform platform, string endpointId, bool viaUserName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(platform, endpointId, viaUserName));
        await connection.OpenAsync();
    }

    private static async Task<int> QueryAsync(IsolatedPlatform platform, string endpointId, bool viaUserName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(platform, endpointId, viaUserName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> TryQueryAsync(IsolatedPlatform platform, string endpointId, bool viaUserName)
    {
        try
        {
            return await QueryAsync(platform, endpointId, viaUserName);
        }
        catch (PostgresException ex) when (ex.SqlState == "08004")
        {
            return 0;
        }
    }

    private static async Task<PostgresException?> ErrorAsync(IsolatedPlatform platform, string endpointId)
    {
        try
        {
            await ConnectAsync(platform, endpointId, viaUserName: false);
            return null;
        }
        catch (PostgresException ex)
        {
            return ex;
        }
    }

    private static string Describe(int result) => $"the endpoint answered {result}";
}
