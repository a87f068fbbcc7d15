using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>A node stopped right after a client's statement still gets that statement into the ledger.</summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const string Tenant = "shutdown";
    private readonly string _apiKey = "tk_shutdown_" + Guid.NewGuid().ToString("N");
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private PostgresServer? _postgres;
    private AzuriteServer? _azurite;
    private HostSettings? _settings;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _azurite = await AzuriteServer.StartAsync();
        var platformDb = await _postgres.CreateDatabaseAsync("platform");
        await _postgres.CreateDatabaseAsync("app");
        _settings = new HostSettings(platformDb, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
            .AddEndpoint("shutdown-db", Tenant, _postgres)
            .AddApiKey(_apiKey, Tenant);
    }

    public async Task DisposeAsync()
    {
        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        foreach (var disposable in new IAsyncDisposable?[] { _azurite, _postgres })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Host_StoppedRightAfterAStatement_HasItInTheLedgerAfterRestart()
    {
        var marker = $"select 'shutdown_{Guid.NewGuid():N}'";
        var psql = Path.Combine(_postgres!.BinDirectory, "psql");
        var uri = $"postgresql://postgres:{Uri.EscapeDataString(_postgres.Password)}@127.0.0.1:{_settings!.ProxyPort}/app?options=endpoint%3Dshutdown-db";

        await using (await HostProcess.StartAsync(_settings.Values, TimeSpan.FromMinutes(2)))
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(psql, [uri, "-X", "-c", marker], false, TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, output);

            // Disposing sends SIGTERM at once: the event is at best queued at the edge or pending in the grain.
        }

        await using var restarted = await HostProcess.StartAsync(_settings.Values, TimeSpan.FromMinutes(2));
        using var api = new HttpClient { BaseAddress = restarted.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        // Blocks sealed while the node stopped are indexed once a silo runs again (their sessions are fed first).
        var events = await Eventually.MatchAsync(
            async () => await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000"),
            e => e.GetProperty("complete").GetBoolean(),
            TimeSpan.FromSeconds(30),
            e => $"the index did not catch up after the restart: {e}\n{ProcessRunner.Tail(restarted.Output)}");
        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");

        Assert.Contains(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("sql").GetString() == marker);
        Assert.Contains(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("kind").GetString() == "session_ended");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.Equal(events.GetProperty("items").GetArrayLength(), verify.GetProperty("treeSize").GetInt64());
    }
}
