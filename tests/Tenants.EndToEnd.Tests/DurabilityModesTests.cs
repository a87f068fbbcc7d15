using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The durability modes through the real Host: a durable write is in the ledger before it runs, an async endpoint's
/// statements run at once and still reach the ledger, in order.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DurabilityModesTests(PlatformFixture platform)
{
    private string Psql => Path.Combine(platform.Upstream.BinDirectory, "psql");

    [Fact]
    public async Task Psql_DurableInsert_SubmittedEventPrecedesTheStatementInTheLedger()
    {
        var table = $"durable_{Guid.NewGuid():N}";
        await ExecuteDirectAsync($"create table {table} (n int)");
        var insert = $"insert into {table} values (1);";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [platform.ProxyUri(PlatformFixture.TenantA), "-X", "-c", insert], false, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        var completed = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Is(e, "statement", insert));
        var submitted = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Is(e, "statement_submitted", insert), includeSubmitted: true);
        Assert.True(submitted.GetProperty("index").GetInt64() < completed.GetProperty("index").GetInt64(), $"{submitted}\n{completed}");
        Assert.Equal(completed.GetProperty("session").GetString(), submitted.GetProperty("session").GetString());
        Assert.Equal("write", submitted.GetProperty("statementClass").GetString());
        Assert.Equal("INSERT 0 1", completed.GetProperty("commandTag").GetString());
    }

    [Fact]
    public async Task Npgsql_AsyncEndpoint_StatementsRunAndAreRecordedInOrderWithoutBeingHeld()
    {
        var table = $"async_{Guid.NewGuid():N}";
        await ExecuteDirectAsync($"create table {table} (n int)");
        var insert = $"insert into {table} values ($1)";
        await using (var connection = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.AsyncEndpoint)))
        {
            await connection.OpenAsync();
            for (var i = 0; i < 20; i++)
            {
                await using var command = new NpgsqlCommand(insert, connection) { Parameters = { new() { Value = i } } };
                await command.ExecuteNonQueryAsync();
            }
        }

        await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Is(e, "statement", insert) && e.GetProperty("parameters")[0].GetString() == "19");
        using var api = platform.Api(PlatformFixture.TenantA);
        var events = await Eventually.MatchAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000")).GetProperty("items").EnumerateArray()
                .Where(e => e.TryGetProperty("sql", out var sql) && sql.ValueKind == JsonValueKind.String && sql.GetString() == insert).ToList(),
            list => list.Count >= 20,
            TimeSpan.FromSeconds(20),
            list => $"{list.Count} events of the async inserts");

        var inLedgerOrder = events.OrderBy(e => e.GetProperty("index").GetInt64()).ToList();
        Assert.All(inLedgerOrder, e => Assert.Equal("statement", e.GetProperty("kind").GetString()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            inLedgerOrder.Select(e => e.GetProperty("parameters")[0].GetString()));
    }

    private static bool Is(JsonElement e, string kind, string sql) =>
        e.GetProperty("kind").GetString() == kind && e.TryGetProperty("sql", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() == sql;

    private async Task ExecuteDirectAsync(string sql)
    {
        var direct = new NpgsqlConnectionStringBuilder(platform.Upstream.ConnectionString) { Database = "app" }.ConnectionString;
        await using var connection = new NpgsqlConnection(direct);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
