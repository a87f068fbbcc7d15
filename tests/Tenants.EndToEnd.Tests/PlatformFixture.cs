using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Tenants.Ledger.Signing;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The whole platform as a user runs it: a platform PostgreSQL, an upstream PostgreSQL for the tenants' databases,
/// Azurite, and the Host process with all roles. Two tenants, each with one endpoint on the same upstream and an
/// API key, so that isolation can be checked from the outside.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string TenantA = "acme";
    public const string TenantB = "globex";
    public const string TamperTenant = "tamper";
    public const string BenchTenant = "bench";
    public const string JobsTamperTenant = "jobs-tamper";
    public const string LimitedEndpoint = "globex-limited";
    public const string TlsEndpoint = "acme-tls";
    public const string WrongCaEndpoint = "acme-wrong-ca";
    public const string AsyncEndpoint = "acme-async";

    private PostgresServer? _platform;
    private PostgresServer? _upstream;
    private AzuriteServer? _azurite;
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private HostProcess? _host;

    public PostgresServer Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("not started");

    public HostProcess Host => _host ?? throw new InvalidOperationException("not started");

    /// <summary>The platform's own database (grain state, index, journal), for tests that look at what is stored.</summary>
    public string PlatformDatabase { get; private set; } = string.Empty;

    public int ProxyPort { get; private set; }

    /// <summary>The Host's configuration, for running its one-off commands against the same platform.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    public Dictionary<string, string> ApiKeys { get; } = new()
    {
        [TenantA] = "tk_acme_" + Guid.NewGuid().ToString("N"),
        [TenantB] = "tk_globex_" + Guid.NewGuid().ToString("N"),
        [TamperTenant] = "tk_tamper_" + Guid.NewGuid().ToString("N"),
        [BenchTenant] = "tk_bench_" + Guid.NewGuid().ToString("N"),
        [JobsTamperTenant] = "tk_jobs_tamper_" + Guid.NewGuid().ToString("N"),
    };

    public async Task InitializeAsync()
    {
        var platformTask = PostgresServer.StartAsync();
        var upstreamTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        _platform = await platformTask;
        _upstream = await upstreamTask;
        _azurite = await azuriteTask;
        var platformDb = await _platform.CreateDatabaseAsync("tenants");
        PlatformDatabase = platformDb;
        await _upstream.CreateDatabaseAsync("app");

        var settings = new HostSettings(platformDb, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
            .Set("Ledger__OriginPrefix", "e2e.tenants.test/ledger")
            // Every test signs in from 127.0.0.1; the per-address limit is tested on a platform of its own.
            .Set("Api__SignIn__RateLimitPermits", "100000")
            // Webhook tests run their receivers on loopback and retry quickly.
            .Set("Webhooks__AllowPrivateAddresses", "true")
            .Set("Webhooks__RetryBaseDelay", "00:00:00.200")
            .Set("Webhooks__RetryMaxDelay", "00:00:01");
        ProxyPort = settings.ProxyPort;
        foreach (var (tenant, key) in ApiKeys)
        {
            settings.AddEndpoint($"{tenant}-db", tenant, _upstream).AddApiKey(key, tenant);
        }

        // Endpoints of tenant A that reach the same server over TLS: one checking it against its CA, one against a wrong CA.
        var authority = await UpstreamTls.EnableAsync(_upstream, _keyFolder);
        settings.AddEndpoint(TlsEndpoint, TenantA, _upstream, ("UpstreamSslMode", "VerifyFull"), ("UpstreamCaCertificatePath", authority.CaPath));
        settings.AddEndpoint(WrongCaEndpoint, TenantA, _upstream, ("UpstreamSslMode", "VerifyFull"), ("UpstreamCaCertificatePath", authority.WrongCaPath));

        // An endpoint of tenant A whose statements are all audited in async mode (never held, spooled if need be).
        settings.AddEndpoint(AsyncEndpoint, TenantA, _upstream, ("Durability__Read", "Async"), ("Durability__Write", "Async"),
            ("Durability__Ddl", "Async"), ("Durability__Dcl", "Async"), ("Durability__Tcl", "Async"), ("Durability__Other", "Async"));

        // One more endpoint of tenant B that accepts a single session at a time.
        settings.AddEndpoint(LimitedEndpoint, TenantB, _upstream, ("MaxConnections", "1"));

        Settings = settings.Values;
        _host = await HostProcess.StartAsync(settings.Values, TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        foreach (var disposable in new IAsyncDisposable?[] { _azurite, _upstream, _platform })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>A connection URI through the proxy to the tenant's endpoint, for psql.</summary>
    public string ProxyUri(string tenant) =>
        $"postgresql://{Upstream.Username}:{Uri.EscapeDataString(Upstream.Password)}@127.0.0.1:{ProxyPort}/app?options=endpoint%3D{tenant}-db";

    /// <summary>An Npgsql connection string through the proxy to the tenant's endpoint.</summary>
    public string ProxyConnectionString(string tenant) => EndpointConnectionString($"{tenant}-db");

    /// <summary>An Npgsql connection string through the proxy to an endpoint.</summary>
    public string EndpointConnectionString(string endpointId) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = ProxyPort,
        Database = "app",
        Username = Upstream.Username,
        Password = Upstream.Password,
        Options = $"endpoint={endpointId}",
        Pooling = false,
    }.ConnectionString;

    /// <summary>An API client acting for the tenant (or anonymous).</summary>
    public HttpClient Api(string? tenant)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeys[tenant]);
        }

        return client;
    }

    /// <summary>
    /// Polls the tenant's events until one matches, or fails with what was there. The <c>statement_submitted</c>
    /// intents of durable statements (same SQL, no result yet) are skipped unless <paramref name="includeSubmitted"/>:
    /// tests that look for a statement mean its completed event.
    /// </summary>
    public async Task<JsonElement> WaitForEventAsync(string tenant, Func<JsonElement, bool> match, TimeSpan? timeout = null, bool includeSubmitted = false)
    {
        var given = match;
        match = e => (includeSubmitted || e.GetProperty("kind").GetString() != "statement_submitted") && given(e);
        using var api = Api(tenant);
        var body = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000"),
            events => events.GetProperty("items").EnumerateArray().Any(match),
            timeout ?? TimeSpan.FromSeconds(20),
            events => $"no matching event for {tenant} appeared; the events were:\n{events}\nHost output:\n{ProcessRunner.Tail(Host.Output)}");
        return body.GetProperty("items").EnumerateArray().First(match);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with psql through the tenant's endpoint and waits until a signed checkpoint covers
    /// its statement event; returns that event's leaf index and the ledger status then.
    /// </summary>
    public async Task<(long LeafIndex, JsonElement Status)> RunSignedAsync(string tenant, string sql)
    {
        var psql = Path.Combine(Upstream.BinDirectory, "psql");
        var (exitCode, output) = await ProcessRunner.RunAsync(psql, [ProxyUri(tenant), "-X", "-c", sql], false, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
        var statement = await WaitForEventAsync(tenant, e => e.GetProperty("sql").GetString() == sql);
        var index = statement.GetProperty("index").GetInt64();
        return (index, await WaitForCheckpointAsync(tenant, index + 1));
    }

    /// <summary>The checkpoint signing keys as an auditor gets them: anonymously from <c>/api/v1/ledger/keys</c>.</summary>
    public async Task<IReadOnlyList<LedgerPublicKey>> PublishedKeysAsync()
    {
        using var anonymous = Api(null);
        var keys = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/ledger/keys");
        return [.. keys.GetProperty("keys").EnumerateArray().Select(key =>
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
            return new LedgerPublicKey(key.GetProperty("name").GetString()!, ecdsa.ExportSubjectPublicKeyInfo());
        })];
    }

    /// <summary>Polls until the tenant's ledger has a signed checkpoint covering at least <paramref name="size"/> entries.</summary>
    public async Task<JsonElement> WaitForCheckpointAsync(string tenant, long size)
    {
        using var api = Api(tenant);
        return await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>("/api/v1/ledger"),
            status => status.GetProperty("checkpointSize").GetInt64() >= size,
            TimeSpan.FromSeconds(20),
            status => $"the ledger of {tenant} got no checkpoint covering {size} entries: {status}");
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
