using System.Globalization;
using System.Net;
using Npgsql;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Blob storage goes away under a running Host whose journal is in blob storage too (<c>Ledger:Journal=Blob</c>, pinned:
/// the default with PostgreSQL configured is the PostgreSQL journal, see <see cref="PostgresJournalOutageTests"/>):
/// durable writes are refused at once and never run, the session lives on, and an async endpoint keeps running and gets
/// every event into the ledger once storage is back.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private const string Tenant = "outage";
    private const string DurableEndpoint = "outage-durable";
    private const string AsyncEndpoint = "outage-async";
    private IsolatedPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .Set("Ledger__Journal", "Blob")
            .Set("Edge__Audit__DurableTimeout", "00:00:02")
            .AddEndpoint(DurableEndpoint, Tenant, upstream)
            .AddEndpoint(AsyncEndpoint, Tenant, upstream, ("Durability__Read", "Async"), ("Durability__Write", "Async"),
                ("Durability__Ddl", "Async"), ("Durability__Dcl", "Async"), ("Durability__Tcl", "Async"), ("Durability__Other", "Async")));
        await _platform.StartHostAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task StorageDown_DurableInsertIsRefusedAndNeverRuns_AsyncInsertsRunAndReachTheLedgerOnceStorageIsBack()
    {
        var table = $"outage_{Guid.NewGuid():N}";
        await _platform.ScalarDirectAsync($"create table {table} (n int)");
        await using var durable = new NpgsqlConnection(_platform.EndpointConnectionString(DurableEndpoint));
        await durable.OpenAsync();
        await IsolatedPlatform.ExecuteAsync(durable, $"insert into {table} values (-1)");

        await _platform.Azurite.StopAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => IsolatedPlatform.ExecuteAsync(durable, $"insert into {table} values (0)"));
        Assert.Equal("55000", refused.SqlState);
        Assert.Contains("audit ledger did not acknowledge", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await _platform.ScalarDirectAsync($"select count(*) from {table} where n = 0"));
        await using (var select = new NpgsqlCommand("select 42", durable))
        {
            Assert.Equal(42, await select.ExecuteScalarAsync());
        }

        // The API says storage is down and that retrying is the remedy, instead of failing with a bare 500.
        using (var api = _platform.Api())
        using (var verify = await api.GetAsync("/api/v1/ledger/verify"))
        {
            var problem = await verify.Content.ReadAsStringAsync();
            Assert.True(verify.StatusCode == HttpStatusCode.ServiceUnavailable, $"{verify.StatusCode}: {problem}");
            Assert.Equal("application/problem+json", verify.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), verify.Headers.RetryAfter?.Delta);
            Assert.Contains("is unavailable right now", problem, StringComparison.Ordinal);
        }

        var inserts = Enumerable.Range(1, 10).Select(i => $"insert into {table} values ({i.ToString(CultureInfo.InvariantCulture)})").ToList();
        await using (var asyncSession = new NpgsqlConnection(_platform.EndpointConnectionString(AsyncEndpoint)))
        {
            await asyncSession.OpenAsync();
            foreach (var insert in inserts)
            {
                await IsolatedPlatform.ExecuteAsync(asyncSession, insert);
            }
        }

        Assert.Equal(10L, await _platform.ScalarDirectAsync($"select count(*) from {table} where n > 0"));

        await _platform.Azurite.RestartAsync();

        await _platform.AssertStatementsInLedgerInOrderAsync(AsyncEndpoint, inserts, "async inserts");
    }
}
