using System.Net.Http.Json;
using System.Text.Json;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>pgbench through the proxy in each query mode: it runs as it does direct, and every transaction is recorded.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PgbenchTests(PlatformFixture platform)
{
    private const int Clients = 2;
    private const int TransactionsPerClient = 25;

    [Theory]
    [InlineData("simple")]
    [InlineData("extended")]
    [InlineData("prepared")]
    public async Task Pgbench_SelectOnly_RunsThroughTheProxyAndEveryStatementIsRecorded(string mode)
    {
        var pgbench = Path.Combine(platform.Upstream.BinDirectory, "pgbench");
        var app = $"pgbench_{mode}_{Guid.NewGuid():N}"[..40];
        var target = $"host=127.0.0.1 port={platform.ProxyPort} user=postgres password={platform.Upstream.Password} dbname=app options=endpoint={PlatformFixture.BenchTenant}-db";
        await InitializeOnceAsync(pgbench, target);

        var (exitCode, output) = await ProcessRunner.RunAsync(pgbench,
            ["-n", "-S", "-M", mode, "-c", Clients.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", TransactionsPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{target} application_name={app}"],
            false, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains($"number of transactions actually processed: {Clients * TransactionsPerClient}/{Clients * TransactionsPerClient}", output);
        // Each transaction is one SELECT (pgbench's own set-up queries, such as the scale check, come on top).
        var statements = await WaitForStatementsAsync(app, Clients * TransactionsPerClient);
        Assert.All(statements, s => Assert.Equal("SELECT 1", s.GetProperty("commandTag").GetString()));
        Assert.All(statements, s => Assert.Equal(mode == "simple" ? "simple" : "extended", s.GetProperty("protocol").GetString()));
        if (mode != "simple")
        {
            Assert.All(statements, s => Assert.Single(s.GetProperty("parameters").EnumerateArray()));
        }
    }

    private static readonly SemaphoreSlim Initialized = new(1, 1);
    private static bool _initialized;

    private static async Task InitializeOnceAsync(string pgbench, string target)
    {
        await Initialized.WaitAsync();
        try
        {
            if (!_initialized)
            {
                // Initialisation goes through the proxy too: CREATE TABLE, COPY of 100,000 rows, VACUUM, keys.
                var (exitCode, output) = await ProcessRunner.RunAsync(pgbench, ["-i", "-s", "1", "-q", target], false, TimeSpan.FromMinutes(3));
                Assert.True(exitCode == 0, output);
                _initialized = true;
            }
        }
        finally
        {
            Initialized.Release();
        }
    }

    private async Task<List<JsonElement>> WaitForStatementsAsync(string app, int expected)
    {
        using var api = platform.Api(PlatformFixture.BenchTenant);
        var statements = await Eventually.MatchAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000")).GetProperty("items").EnumerateArray()
                .Where(e => e.GetProperty("applicationName").GetString() == app && e.GetProperty("kind").GetString() == "statement")
                .Where(e => e.GetProperty("sql").GetString()?.StartsWith("SELECT abalance FROM pgbench_accounts WHERE aid = ", StringComparison.Ordinal) == true)
                .ToList(),
            found => found.Count >= expected,
            TimeSpan.FromSeconds(30),
            found => $"{found.Count} of {expected} pgbench statements reached the ledger");

        Assert.Equal(expected, statements.Count);
        return statements;
    }
}
