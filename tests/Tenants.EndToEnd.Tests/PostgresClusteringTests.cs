using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The Host configured for a real cluster: ADO.NET membership and grain state in PostgreSQL, with the project's own
/// migrations. One node is enough to show that membership, grain persistence and the statement path all work there.
/// </summary>
public sealed class PostgresClusteringTests : IAsyncLifetime
{
    private const string Tenant = "clustered";
    private readonly string _apiKey = "tk_clustered_" + Guid.NewGuid().ToString("N");
    private PostgresServer? _postgres;
    private AzuriteServer? _azurite;
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private HostProcess? _host;
    private string _platformDb = string.Empty;
    private int _endpointPort;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _azurite = await AzuriteServer.StartAsync();
        _platformDb = await _postgres.CreateDatabaseAsync("platform");
        await _postgres.CreateDatabaseAsync("app");
        _endpointPort = FreePort.Next();
        var settings = new HostSettings(_platformDb, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
            .Set("Cluster__Clustering", "Postgres")
            .Set("Cluster__AdvertisedAddress", "127.0.0.1")
            .Set("Cluster__ClusterId", "e2e-" + Guid.NewGuid().ToString("N")[..8])
            .AddEndpoint("clustered-db", Tenant, _postgres, ("Port", HostSettings.Port(_endpointPort)))
            .AddApiKey(_apiKey, Tenant);
        _host = await HostProcess.StartAsync(settings.Values, TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        foreach (var disposable in new IAsyncDisposable?[] { _host, _azurite, _postgres })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Host_WithPostgresClustering_IsAnActiveMemberAndPersistsLedgerState()
    {
        await using var platform = new NpgsqlConnection(_platformDb);
        await platform.OpenAsync();
        await using (var members = new NpgsqlCommand("select count(*) from orleans_membership where status = 3", platform))
        {
            Assert.Equal(1L, await members.ExecuteScalarAsync());
        }

        // A statement through the endpoint's own port (no routing mark needed) reaches the ledger...
        var marker = $"select 'clustered_{Guid.NewGuid():N}'";
        var direct = new NpgsqlConnectionStringBuilder(_postgres!.ConnectionString) { Host = "127.0.0.1", Port = _endpointPort, Database = "app", Pooling = false };
        await using (var connection = new NpgsqlConnection(direct.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(marker, connection);
            await command.ExecuteScalarAsync();
        }

        using var api = new HttpClient { BaseAddress = _host!.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        await Eventually.TrueAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/events")).GetProperty("items").EnumerateArray().Any(e => e.GetProperty("sql").GetString() == marker),
            TimeSpan.FromSeconds(20), "the statement reaching the ledger");

        // ...and the ledger grain's state (its frontier) goes through the ADO.NET storage provider into PostgreSQL,
        // right after the block it describes.
        await using var state = new NpgsqlCommand("select count(*) from orleans_grain_state where grain_type like '%ledger%' and grain_id_extension like @tenant", platform);
        state.Parameters.AddWithValue("tenant", $"%{Tenant}%");
        await Eventually.TrueAsync(async () => (long)(await state.ExecuteScalarAsync())! == 1, TimeSpan.FromSeconds(20), "the ledger grain's state reaching PostgreSQL");
    }
}
