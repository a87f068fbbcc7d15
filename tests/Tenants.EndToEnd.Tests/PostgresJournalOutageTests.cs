using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Blob storage goes away under a Host whose journal is in PostgreSQL (<c>Ledger:Journal=Postgres</c>): durable writes
/// go on running while the ledger can journal them, up to <c>Ledger:MaxUnsealedEntries</c> entries it cannot seal into
/// blocks; then they are refused and never run (fail closed). Everything acknowledged reaches the sealed, verifiable
/// ledger once storage is back, each statement once.
/// </summary>
public sealed class PostgresJournalOutageTests : IAsyncLifetime
{
    private const string Tenant = "pgjournal";
    private const string DurableEndpoint = "pgjournal-durable";
    private const int MaxUnsealedEntries = 24;
    private IsolatedPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .Set("Ledger__Journal", "Postgres")
            .Set("Ledger__MaxUnsealedEntries", MaxUnsealedEntries.ToString(CultureInfo.InvariantCulture))
            .Set("Edge__Audit__DurableTimeout", "00:00:02")
            .AddEndpoint(DurableEndpoint, Tenant, upstream));
        await _platform.StartHostAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task StorageDown_DurableInsertsRunUntilTheUnsealedBound_ThenAreRefused_AndEveryAcknowledgedOneIsSealedOnceStorageIsBack()
    {
        var table = $"pgjournal_{Guid.NewGuid():N}";
        await _platform.ScalarDirectAsync($"create table {table} (n int)");
        await using var durable = new NpgsqlConnection(_platform.EndpointConnectionString(DurableEndpoint));
        await durable.OpenAsync();
        await IsolatedPlatform.ExecuteAsync(durable, $"insert into {table} values (0)");

        await _platform.Azurite.StopAsync();

        // Still ready: the node acknowledges durable writes from its PostgreSQL journal, and says storage is behind.
        using (var api = _platform.Api())
        using (var ready = await api.GetAsync("/health/ready"))
        {
            var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, report.ToString());
            Assert.Equal("Degraded", report.GetProperty("status").GetString());
            Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("blob-storage").GetProperty("status").GetString());
        }

        var ran = new List<string>();
        PostgresException? refused = null;
        for (var i = 1; i <= 4 * MaxUnsealedEntries && refused is null; i++)
        {
            var insert = $"insert into {table} values ({i.ToString(CultureInfo.InvariantCulture)})";
            try
            {
                await IsolatedPlatform.ExecuteAsync(durable, insert);
                ran.Add(insert);
            }
            catch (PostgresException ex)
            {
                refused = ex;
            }
        }

        // Each durable insert is two entries (submitted, then its result), so about half the bound runs before refusals.
        Assert.NotNull(refused);
        Assert.Equal("55000", refused.SqlState);
        Assert.InRange(ran.Count, 1, MaxUnsealedEntries);
        Assert.Equal((long)ran.Count, await _platform.ScalarDirectAsync($"select count(*) from {table} where n > 0"));
        Assert.Equal(0L, await _platform.ScalarDirectAsync($"select count(*) from {table} where n > {ran.Count.ToString(CultureInfo.InvariantCulture)}"));

        await _platform.Azurite.RestartAsync();

        await _platform.AssertStatementsInLedgerInOrderAsync(DurableEndpoint, ran, "acknowledged inserts");
    }
}
