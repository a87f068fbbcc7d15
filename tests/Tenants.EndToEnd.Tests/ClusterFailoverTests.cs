using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Ledger.Bundles;
using Tenants.Testing;
using Xunit.Abstractions;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A real three-silo cluster (ADO.NET membership on PostgreSQL, one Azurite) with an edge-only node and two API-only
/// nodes as Orleans clients, many tenants writing through the proxy while a silo that hosts ledger grains is killed with
/// <c>kill -9</c>. What the clients were told succeeded must be in each tenant's ledger exactly once, every ledger must
/// still verify, and both API nodes must answer for every tenant.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Tenants = 8;
    private const int SiloCount = 3;
    private const int ApiNodes = 2;
    private const int WritesAfterKill = 15;
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, string> _apiKeys = [];
    private readonly List<HostProcess> _silos = [];
    private PostgresServer? _postgres;
    private AzuriteServer? _azurite;
    private readonly List<HostProcess> _apis = [];
    private HostProcess? _edge;
    private int _proxyPort;

    private string Tenant(int i) => $"cl{_run}-{i}";

    public async Task InitializeAsync()
    {
        var postgresTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        _postgres = await postgresTask;
        _azurite = await azuriteTask;
        var platformDb = await _postgres.CreateDatabaseAsync("platform");
        await _postgres.CreateDatabaseAsync("app");
        await using (var app = new NpgsqlConnection(AppConnectionString()))
        {
            await app.OpenAsync();
            for (var i = 0; i < Tenants; i++)
            {
                await using var create = new NpgsqlCommand($"create table load_{i} (n int not null)", app);
                await create.ExecuteNonQueryAsync();
            }
        }

        var clusterId = $"e2e-failover-{_run}";
        HostSettings Node(string roles)
        {
            var settings = new HostSettings(platformDb, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
                .Set("Tenants__Roles", roles)
                .Set("Cluster__Clustering", "Postgres")
                .Set("Cluster__AdvertisedAddress", "127.0.0.1")
                .Set("Cluster__ClusterId", clusterId)
                .Set("Cluster__ServiceId", clusterId)
                // The grains' Debug lines (sealed blocks) say which silo hosts which ledger.
                .Set("Logging__LogLevel__Tenants.Grains", "Debug");
            for (var i = 0; i < Tenants; i++)
            {
                settings.AddEndpoint($"{Tenant(i)}-db", Tenant(i), _postgres);
            }

            return settings;
        }

        // The first silo creates the shared signing key; the others start once it exists.
        _silos.Add(await HostProcess.StartAsync(Node("silo").Values, StartTimeout));
        var others = Enumerable.Range(1, SiloCount - 1).Select(_ => HostProcess.StartAsync(Node("silo").Values, StartTimeout)).ToList();
        for (var i = 0; i < Tenants; i++)
        {
            _apiKeys[Tenant(i)] = $"tk_{Tenant(i)}_{Guid.NewGuid():N}";
        }

        // The proxy and the API run on nodes of their own, as Orleans clients of the silos.
        var edgeSettings = Node("edge");
        _proxyPort = edgeSettings.ProxyPort;
        var edgeTask = HostProcess.StartAsync(edgeSettings.Values, StartTimeout);
        var apiTasks = Enumerable.Range(0, ApiNodes).Select(_ =>
        {
            var settings = Node("api");
            foreach (var (tenant, key) in _apiKeys)
            {
                settings.AddApiKey(key, tenant);
            }

            return HostProcess.StartAsync(settings.Values, StartTimeout);
        }).ToList();
        _silos.AddRange(await Task.WhenAll(others));
        _edge = await edgeTask;
        _apis.AddRange(await Task.WhenAll(apiTasks));
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { _edge }.Concat(_apis).Concat(_silos).Concat([_azurite, _postgres]))
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }
    }

    [Fact]
    public async Task ThreeSilosWithEdgeAndApiNodes_KillNineOfALedgerSiloUnderLoad_EveryAcknowledgedInsertIsInItsLedgerOnceAndEveryLedgerVerifies()
    {
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Tenants).Select(i => new TenantLoad(i)).ToArray();
        var writers = load.Select(l => Task.Run(() => WriteAsync(l, stop.Token))).ToArray();

        // Every ledger is active somewhere once each tenant has written; pick a silo that hosts at least one of them.
        await Eventually.TrueAsync(() => Task.FromResult(load.All(l => l.Succeeded.Count >= 5)), TimeSpan.FromSeconds(30), "every tenant writing");
        var victim = await Eventually.MatchAsync(
            () => Task.FromResult(_silos.OrderByDescending(HostedLedgers).First()),
            silo => HostedLedgers(silo) > 0,
            TimeSpan.FromSeconds(20),
            _ => "no silo reported sealing a ledger block");
        var hosted = HostedLedgers(victim);
        await victim.KillAsync();
        var atKill = load.Select(l => l.Succeeded.Count).ToArray();

        // The load goes on: every tenant, including those whose ledger was on the dead silo, gets writes through again.
        await Eventually.TrueAsync(
            () => Task.FromResult(load.All(l => l.Succeeded.Count >= atKill[l.Index] + WritesAfterKill)),
            TimeSpan.FromSeconds(60),
            $"every tenant writing again after the kill ({string.Join(", ", load.Select(l => $"{l.Index}: {l.Succeeded.Count - atKill[l.Index]} ok, {l.Failures.Count} failed"))})");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        output.WriteLine($"killed a silo hosting {hosted} ledgers; inserts acknowledged before the kill: {atKill.Sum()}, in all: "
            + $"{load.Sum(l => l.Succeeded.Count)}; refused or broken per tenant: {string.Join(", ", load.Select(l => l.Failures.Count))}");
        foreach (var failure in load.SelectMany(l => l.Failures.Select(f => $"{Tenant(l.Index)} {f}")).Take(10))
        {
            output.WriteLine(failure);
        }

        foreach (var l in load)
        {
            await AssertLedgerAsync(l);
        }

        Assert.True(hosted > 0);
    }

    private async Task WriteAsync(TenantLoad load, CancellationToken stop)
    {
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ProxyConnectionString(Tenant(load.Index)));
                await connection.OpenAsync(CancellationToken.None);
                while (!stop.IsCancellationRequested)
                {
                    var n = next++;
                    await using var insert = new NpgsqlCommand(InsertSql(load.Index, n), connection);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(CancellationToken.None);
                        load.Succeeded.Add(n);
                    }
                    catch (PostgresException e)
                    {
                        // A statement refused during failover is reported to the client: allowed, and counted.
                        load.Failures.Enqueue($"{n}: {e.SqlState} {e.MessageText}");

                        // Like a real client, back off a little before retrying: a tight retry loop only floods the
                        // edge's spool with the refused statements' result events, which must all be replayed.
                        await Task.Delay(RetryBackoff, CancellationToken.None);
                        if (!connection.State.HasFlag(System.Data.ConnectionState.Open))
                        {
                            break;
                        }
                    }
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                load.Failures.Enqueue($"{next - 1}: {e.GetType().Name} {e.Message}");
            }
        }
    }

    private async Task AssertLedgerAsync(TenantLoad load)
    {
        var tenant = Tenant(load.Index);

        // Each API node serves every tenant: the export is read from one, the verification asked of the other.
        using var api = ApiClient(_apis[load.Index % ApiNodes], tenant);
        using var otherApi = ApiClient(_apis[(load.Index + 1) % ApiNodes], tenant);

        // Everything the ledger accepted (statements acknowledged to the proxy, so run upstream, whose answer the client
        // may not have seen) must be sealed and signed before the rows are compared with the export.
        // While the ledger moves off the dead silo the status call can fail; that is asked again, not a result.
        await Eventually.MatchAsync(
            async () =>
            {
                using var response = await api.GetAsync(new Uri("/api/v1/ledger", UriKind.Relative));
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            },
            status => status is { } s && s.GetProperty("size").GetInt64() == s.GetProperty("checkpointSize").GetInt64(),
            TimeSpan.FromSeconds(45),
            status => $"{tenant}: the ledger has not signed everything it journaled: {status}");

        // Result events that could not be delivered during the failover wait in the edge's spool and are replayed; wait
        // until every acknowledged insert has both its events in sealed, signed blocks.
        var expected = load.Succeeded.Order().SelectMany(n => new[] { ("statement_submitted", InsertSql(load.Index, n)), ("statement", InsertSql(load.Index, n)) }).ToList();
        var statements = await Eventually.MatchAsync(
            () => ReadSignedStatementsAsync(api, tenant),
            found => expected.All(found.ContainsKey),
            TimeSpan.FromSeconds(45),
            found => $"{tenant}: {expected.Count(e => !found.ContainsKey(e))} of {expected.Count} expected entries missing, first {expected.FirstOrDefault(e => !found.ContainsKey(e))}; "
                + $"client failures: {string.Join(" | ", load.Failures.Take(5))}\nedge output:\n{ProcessRunner.Tail(_edge!.Output, 40)}");

        var verify = await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), $"{tenant}: {verify}");

        foreach (var n in load.Succeeded.Order())
        {
            var sql = InsertSql(load.Index, n);
            Assert.True(statements.GetValueOrDefault(("statement_submitted", sql)) == 1,
                $"{tenant}: acknowledged insert {n} has {statements.GetValueOrDefault(("statement_submitted", sql))} statement_submitted entries");
            Assert.True(statements.GetValueOrDefault(("statement", sql)) == 1,
                $"{tenant}: acknowledged insert {n} has {statements.GetValueOrDefault(("statement", sql))} statement entries");
        }

        // Durable writes fail closed: a row that reached the database, even one whose client saw an error, was recorded first.
        await using var app = new NpgsqlConnection(AppConnectionString());
        await app.OpenAsync();
        await using var rows = new NpgsqlCommand($"select n from load_{load.Index}", app);
        await using var reader = await rows.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var sql = InsertSql(load.Index, reader.GetInt32(0));
            Assert.True(statements.GetValueOrDefault(("statement_submitted", sql)) == 1, $"{tenant}: row {reader.GetInt32(0)} ran without exactly one audit record first");
        }
    }

    private HttpClient ApiClient(HostProcess node, string tenant)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKeys[tenant]);
        return client;
    }

    /// <summary>The statements in the tenant's ledger as exported up to its last signed checkpoint, counted by kind and SQL.</summary>
    private static async Task<Dictionary<(string Kind, string Sql), int>> ReadSignedStatementsAsync(HttpClient api, string tenant)
    {
        using var export = await api.GetAsync(new Uri("/api/v1/ledger/export", UriKind.Relative));
        export.EnsureSuccessStatusCode();
        await using var body = await export.Content.ReadAsStreamAsync();
        var bundle = await LedgerBundleStore.OpenAsync(body);
        var statements = new Dictionary<(string Kind, string Sql), int>();
        await foreach (var name in bundle.ListBlocksAsync(tenant))
        {
            foreach (var entry in (await bundle.ReadBlockAsync(tenant, name)).Entries)
            {
                using var json = JsonDocument.Parse(entry);
                var kind = json.RootElement.GetProperty("kind").GetString()!;
                if (json.RootElement.GetProperty("event").TryGetProperty("sql", out var sql) && sql.ValueKind == JsonValueKind.String)
                {
                    statements[(kind, sql.GetString()!)] = statements.GetValueOrDefault((kind, sql.GetString()!)) + 1;
                }
            }
        }

        return statements;
    }

    private int HostedLedgers(HostProcess silo)
    {
        var output = silo.Output;
        return Enumerable.Range(0, Tenants).Count(i => output.Contains($"Tenant {Tenant(i)}: sealed block", StringComparison.Ordinal));
    }

    private static string InsertSql(int tenant, int n) => string.Create(CultureInfo.InvariantCulture, $"insert into load_{tenant} values ({n})");

    private string AppConnectionString() => new NpgsqlConnectionStringBuilder(_postgres!.ConnectionString) { Database = "app" }.ConnectionString;

    private string ProxyConnectionString(string tenant) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _proxyPort,
        Database = "app",
        Username = _postgres!.Username,
        Password = _postgres.Password,
        Options = $"endpoint={tenant}-db",
        Pooling = false,
        CommandTimeout = 60,
    }.ConnectionString;

    private sealed class TenantLoad(int index)
    {
        public int Index { get; } = index;

        public ConcurrentBag<int> Succeeded { get; } = new();

        public ConcurrentQueue<string> Failures { get; } = new();
    }
}
