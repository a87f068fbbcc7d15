using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A platform of a test's own (PostgreSQL, Azurite and a Host), for tests that stop storage or crash the Host and so
/// must not share <see cref="PlatformFixture"/>. Storage can be taken away (<see cref="Azurite"/>) and the Host killed
/// and started again with the same settings (ports, spool, signing key).
/// </summary>
internal sealed class IsolatedPlatform : IAsyncDisposable
{
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private readonly string _apiKey = "tk_isolated_" + Guid.NewGuid().ToString("N");

    private IsolatedPlatform(PostgresServer postgres, AzuriteServer azurite, string tenant)
    {
        Postgres = postgres;
        Azurite = azurite;
        Tenant = tenant;
    }

    public PostgresServer Postgres { get; }

    public AzuriteServer Azurite { get; }

    public string Tenant { get; }

    public HostSettings Settings { get; private set; } = null!;

    public HostProcess? Host { get; private set; }

    /// <summary>The upstream application database (<c>app</c>), directly, not through the proxy.</summary>
    public string DirectConnectionString => new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Database = "app" }.ConnectionString;

    /// <summary>Starts PostgreSQL (platform and <c>app</c> databases) and Azurite; <paramref name="configure"/> adds endpoints.</summary>
    public static async Task<IsolatedPlatform> StartAsync(string tenant, Action<HostSettings, PostgresServer> configure)
    {
        var postgresTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        var platform = new IsolatedPlatform(await postgresTask, await azuriteTask, tenant);
        var platformDb = await platform.Postgres.CreateDatabaseAsync("platform");
        await platform.Postgres.CreateDatabaseAsync("app");
        platform.Settings = new HostSettings(platformDb, platform.Azurite.ConnectionString, Path.Combine(platform._keyFolder, "signing.pem"))
            .AddApiKey(platform._apiKey, tenant);
        configure(platform.Settings, platform.Postgres);
        return platform;
    }

    /// <summary>Starts the Host (again) with the same settings: its build output, or <paramref name="hostDll"/>.</summary>
    public async Task<HostProcess> StartHostAsync(string? hostDll = null)
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Host = await HostProcess.StartAsync(Settings.Values, TimeSpan.FromMinutes(2), hostDll: hostDll);
        return Host;
    }

    /// <summary>An Npgsql connection string through the proxy to an endpoint (no pooling).</summary>
    public string EndpointConnectionString(string endpointId) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Settings.ProxyPort,
        Database = "app",
        Username = Postgres.Username,
        Password = Postgres.Password,
        Options = $"endpoint={endpointId}",
        Pooling = false,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>An Orleans client of the running Host's cluster, as the API is: to act on grains the API does not offer yet.</summary>
    public async Task<IHost> ClusterClientAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var gateway = int.Parse(Settings.Values["Cluster__GatewayPort"], CultureInfo.InvariantCulture);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gateway, serviceId: "tenants", clusterId: "tenants"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>An API client acting for the tenant, on the running Host.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = Host!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return client;
    }

    /// <summary>Every indexed event of the tenant (all pages), and whether the index had caught up with the sealed blocks.</summary>
    public async Task<(IReadOnlyList<JsonElement> Events, bool Complete)> AllEventsAsync(HttpClient api, string? filter = null)
    {
        var events = new List<JsonElement>();
        var complete = true;
        long? before = null;
        while (true)
        {
            var query = $"/api/v1/events?limit=1000{filter}{(before is null ? "" : $"&before={before}")}";
            var page = await api.GetFromJsonAsync<JsonElement>(query);
            complete &= page.TryGetProperty("complete", out var c) && c.ValueKind == JsonValueKind.True;
            events.AddRange(page.GetProperty("items").EnumerateArray());
            if (!page.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.Number)
            {
                return (events, complete);
            }

            before = next.GetInt64();
        }
    }

    /// <summary>
    /// Waits until the statement events of <paramref name="endpointId"/> for every statement in <paramref name="sqls"/>
    /// are searchable, then checks that they are in the ledger in that order, once each, and that the ledger verifies.
    /// </summary>
    public async Task AssertStatementsInLedgerInOrderAsync(string endpointId, IReadOnlyList<string> sqls, string what)
    {
        using var api = Api();
        var recorded = await Eventually.MatchAsync(
            async () => (await AllEventsAsync(api, $"&endpoint={endpointId}&kind=statement")).Events
                .Where(e => sqls.Contains(SqlOf(e))).ToList(),
            list => list.Count >= sqls.Count,
            TimeSpan.FromSeconds(90),
            list => $"{list.Count} of {sqls.Count} {what} reached the ledger. Host output:\n{ProcessRunner.Tail(Host!.Output)}");

        Assert.Equal(sqls, recorded.OrderBy(e => e.GetProperty("index").GetInt64()).Select(SqlOf));
        Assert.Equal(recorded.Count, recorded.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    /// <summary>Runs one statement on an open connection.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string SqlOf(JsonElement e) =>
        e.TryGetProperty("sql", out var sql) && sql.ValueKind == JsonValueKind.String ? sql.GetString()! : "";

    /// <summary>Runs SQL on the upstream database directly.</summary>
    public async Task<object?> ScalarDirectAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(DirectConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        await Postgres.DisposeAsync();
        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        if (Settings?.Values.TryGetValue("Edge__Audit__SpoolPath", out var spool) == true && Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }
    }
}
