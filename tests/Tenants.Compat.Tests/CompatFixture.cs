using System.Net.Http.Headers;
using Tenants.Testing;

namespace Tenants.Compat.Tests;

/// <summary>
/// Two identical, fresh upstream PostgreSQL servers (one for the direct baseline, one behind the proxy, so neither run
/// sees what the other left behind), a platform database, Azurite, and the Host with one endpoint on its own listener
/// port in front of the proxied upstream, so that pg_regress connects with no routing mark at all.
/// </summary>
public sealed class CompatFixture : IAsyncLifetime
{
    public const string Tenant = "compat";

    private PostgresServer? _platform;
    private PostgresServer? _direct;
    private PostgresServer? _proxied;
    private AzuriteServer? _azurite;
    private HostProcess? _host;
    private PgRegressSuite? _suite;
    private string? _keyDirectory;

    /// <summary>The upstream pg_regress runs against directly.</summary>
    public PostgresServer Direct => _direct ?? throw new InvalidOperationException("not started");

    /// <summary>The upstream behind the proxy's endpoint.</summary>
    public PostgresServer Proxied => _proxied ?? throw new InvalidOperationException("not started");

    public HostProcess Host => _host ?? throw new InvalidOperationException("not started");

    public PgRegressSuite Suite => _suite ?? throw new InvalidOperationException("not started");

    /// <summary>The endpoint's own listener: every connection to it goes to <see cref="Proxied"/>.</summary>
    public int EndpointPort { get; private set; }

    public string ApiKey { get; } = "tk_compat_" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        // The servers must be local: they load regress.so built on this machine, for this server version. This assembly
        // runs in a process of its own, so the setting reaches only its fixtures.
        Environment.SetEnvironmentVariable("TENANTS_TESTS_NO_DOCKER", "1");
        var platformTask = PostgresServer.StartAsync();
        var directTask = PostgresServer.StartAsync();
        var proxiedTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        _platform = await platformTask;
        _direct = await directTask;
        _proxied = await proxiedTask;
        _azurite = await azuriteTask;

        // Fail before starting the Host when the suite is missing: the message says how to build it.
        _suite = await PgRegressSuite.LocateAsync(_direct.BinDirectory);

        var platformDb = await _platform.CreateDatabaseAsync("tenants");
        _keyDirectory = Directory.CreateTempSubdirectory("tenants-compat-key-").FullName;
        EndpointPort = FreePort.Next();
        var settings = new HostSettings(platformDb, _azurite.ConnectionString, Path.Combine(_keyDirectory, "signing.pem"))
            .Set("Ledger__OriginPrefix", "compat.tenants.test/ledger")
            .AddEndpoint("compat-db", Tenant, _proxied, ("Port", HostSettings.Port(EndpointPort)))
            .AddApiKey(ApiKey, Tenant);
        _host = await HostProcess.StartAsync(settings.Values, TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { _host, _azurite, _proxied, _direct, _platform })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        // The throwaway ledger's signing key goes with it.
        if (_keyDirectory is not null && Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }

    /// <summary>An API client acting for <see cref="Tenant"/>.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }
}
