using System.Net.Http.Json;
using System.Text.Json;
using Tenants.Testing;
using Xunit.Abstractions;

namespace Tenants.Compat.Tests;

/// <summary>
/// The compatibility gate: PostgreSQL's own regression suite (pg_regress, <c>parallel_schedule</c>, 20 tests at a time)
/// must pass through the proxy exactly as it passes against the server directly. Its expected files are compared byte
/// for byte, so any change the proxy makes to what a client sees (startup parameters, errors, notices, COPY, backend
/// reuse) fails a test.
/// </summary>
public sealed partial class PgRegressTests(CompatFixture fixture, ITestOutputHelper output) : IClassFixture<CompatFixture>
{
    private static readonly TimeSpan _runTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task PgRegress_DirectToServer_AllTestsPass()
    {
        var run = await fixture.Suite.RunAsync("direct", fixture.Direct.BinDirectory, fixture.Direct.Host, fixture.Direct.Port, fixture.Direct.Password, _runTimeout);

        output.WriteLine($"direct: {run.Total} tests, {run.Failed} failed, {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(
            run.AllPassed(fixture.Suite.ScheduledTests),
            $"The baseline failed: the suite or this machine is broken, not the proxy. Expected all {fixture.Suite.ScheduledTests} tests of PostgreSQL {fixture.Suite.Version} to pass.\n{run.Describe()}");
    }

    [Fact]
    public async Task PgRegress_ThroughProxy_AllTestsPassAndTheLedgerRecordsThem()
    {
        var run = await fixture.Suite.RunAsync("proxy", fixture.Proxied.BinDirectory, "127.0.0.1", fixture.EndpointPort, fixture.Proxied.Password, _runTimeout);

        output.WriteLine($"proxy: {run.Total} tests, {run.Failed} failed, {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(
            run.AllPassed(fixture.Suite.ScheduledTests),
            $"""
            Through the proxy, not all {fixture.Suite.ScheduledTests} tests of PostgreSQL {fixture.Suite.Version} passed (they pass direct: see PgRegress_DirectToServer_AllTestsPass).
            {run.Describe()}
            --- Host output (tail) ---
            {ProcessRunner.Tail(fixture.Host.Output, 60)}
            """);

        // The run went through the audit path: the tenant's ledger holds the suite's statements on the regression database.
        var statement = await WaitForRegressionStatementAsync();
        var index = statement.GetProperty("index").GetInt64();
        output.WriteLine($"ledger: newest regression statement at index {index} ({statement.GetProperty("applicationName")})");

        // ...and the ledger over the whole run still verifies against its signed checkpoint.
        await WaitForCheckpointAsync(index + 1);
        using var api = fixture.Api();
        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.True(verify.GetProperty("treeSize").GetInt64() > index, verify.ToString());
        output.WriteLine($"ledger: verified, tree size {verify.GetProperty("treeSize").GetInt64()}");

        // ...and the statement analyser agrees with the server on what each statement that ran was.
        await AssertAnalyzerAgreesWithServerAsync(index);
    }

    private async Task<JsonElement> WaitForRegressionStatementAsync()
    {
        using var api = fixture.Api();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = default(JsonElement);
        while (true)
        {
            last = await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000");
            foreach (var item in last.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("kind").GetString() == "statement" && item.GetProperty("database").GetString() == "regression")
                {
                    return item;
                }
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"no statement on the regression database reached the ledger of '{CompatFixture.Tenant}'. Newest events:\n{Truncate(last.ToString())}\n"
                + $"Host output (tail):\n{ProcessRunner.Tail(fixture.Host.Output, 60)}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private async Task WaitForCheckpointAsync(long size)
    {
        using var api = fixture.Api();
        await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>("/api/v1/ledger"),
            status => status.GetProperty("checkpointSize").GetInt64() >= size,
            TimeSpan.FromSeconds(60),
            status => $"the ledger of '{CompatFixture.Tenant}' got no checkpoint covering {size} entries: {status}");
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "...";
}
