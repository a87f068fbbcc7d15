using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The Host killed (<c>kill -9</c>) under durable write load (pgbench and Npgsql clients through the proxy) and started
/// again: every write a client saw succeed is in the ledger exactly once, the ledger verifies and the search index
/// catches up.
/// </summary>
public sealed class HostCrashTests : IAsyncLifetime
{
    private const string Tenant = "crash";
    private const string Endpoint = "crash-db";
    private const int Clients = 4;
    private const int PgbenchClients = 2;
    private const int SucceededBeforeKill = 1000;
    private IsolatedPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings.AddEndpoint(Endpoint, Tenant, upstream));
        await _platform.StartHostAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Host_KilledUnderDurableInserts_EveryAcknowledgedInsertIsInTheLedgerExactlyOnceAfterRestart()
    {
        var table = $"crash_{Guid.NewGuid():N}";
        await _platform.ScalarDirectAsync($"create table {table} (n bigint primary key)");
        await _platform.ScalarDirectAsync($"create table {table}_pgbench (client int not null, r bigint primary key)");
        var pgbench = RunPgbenchUntilTheHostDiesAsync($"{table}_pgbench");
        var succeeded = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<Exception>();
        var signal = new ConditionSignal();
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(_platform.EndpointConnectionString(Endpoint));
                await connection.OpenAsync();
                for (long i = 0; !stop.IsCancellationRequested; i++)
                {
                    var insert = $"insert into {table} values ({(client * 1_000_000L + i).ToString(CultureInfo.InvariantCulture)})";
                    await using var command = new NpgsqlCommand(insert, connection);
                    await command.ExecuteNonQueryAsync();
                    succeeded.Add(insert);
                    signal.Pulse();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The Host died under this session: the statement in flight has no answer, so it does not count as succeeded.
                failures.Add(ex);
            }
        })).ToList();

        await signal.WaitAsync(() => succeeded.Count >= SucceededBeforeKill ? "enough" : null, TimeSpan.FromSeconds(90),
            () => $"only {succeeded.Count} inserts succeeded; failures: {string.Join("; ", failures.Select(f => f.Message))}");
        await _platform.Host!.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var (pgbenchExit, pgbenchOutput) = await pgbench;
        Assert.True(pgbenchExit != 0 && pgbenchOutput.Contains("aborted", StringComparison.Ordinal),
            $"pgbench should have lost its sessions with the Host (exit {pgbenchExit}):\n{pgbenchOutput}");
        var acknowledged = succeeded.ToHashSet(StringComparer.Ordinal);

        await _platform.StartHostAsync();
        using var api = _platform.Api();

        // The restarted ledger replays its journal: statements acknowledged to the proxy (and so run upstream) whose
        // answer the client never saw are journaled but maybe not yet sealed. Wait until everything accepted is sealed.
        await Eventually.MatchAsync(
            async () => await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger"),
            status => status.GetProperty("size").GetInt64() == status.GetProperty("sealedSize").GetInt64(),
            TimeSpan.FromSeconds(60),
            status => $"the ledger has not sealed everything it journaled: {status}");
        var (events, _) = await Eventually.MatchAsync(
            () => _platform.AllEventsAsync(api),
            all => all.Complete && acknowledged.IsSubsetOf(all.Events.Where(e => Kind(e) == "statement_submitted").Select(SqlOf)),
            TimeSpan.FromSeconds(90),
            all => $"complete={all.Complete}, {acknowledged.Count - acknowledged.Intersect(all.Events.Select(SqlOf)).Count()} of "
                + $"{acknowledged.Count} acknowledged inserts not found. Host output:\n{ProcessRunner.Tail(_platform.Host!.Output)}");

        var submitted = events.Where(e => Kind(e) == "statement_submitted" && SqlOf(e).StartsWith($"insert into {table} ", StringComparison.Ordinal))
            .GroupBy(SqlOf).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.All(acknowledged, insert => Assert.Equal(1, submitted[insert]));
        Assert.All(submitted, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct(StringComparer.Ordinal).Count());

        // Durable means the event was in the ledger before the row existed: no row without its event.
        var rows = ((string?)await _platform.ScalarDirectAsync($"select string_agg(n::text, ',') from {table}") ?? "").Split(',');
        Assert.True(rows.Length >= acknowledged.Count, $"{rows.Length} rows for {acknowledged.Count} acknowledged inserts");
        Assert.All(rows, n => Assert.True(submitted.ContainsKey($"insert into {table} values ({n})"), $"row {n} has no statement_submitted event"));

        // pgbench cannot say which of its statements succeeded, but a row exists for every insert it committed: each
        // has exactly one statement_submitted, and pgbench's own count of processed transactions is covered.
        var pgbenchSubmitted = events.Where(e => Kind(e) == "statement_submitted" && SqlOf(e).StartsWith($"insert into {table}_pgbench ", StringComparison.Ordinal))
            .GroupBy(e => SqlOf(e).TrimEnd(';')).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var pgbenchRows = ((string?)await _platform.ScalarDirectAsync(
            $"select string_agg(format('insert into {table}_pgbench values (%s, %s)', client, r), E'\\n') from {table}_pgbench") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(pgbenchRows.Length >= ProcessedTransactions(pgbenchOutput) && pgbenchRows.Length > 0,
            $"{pgbenchRows.Length} pgbench rows, pgbench said:\n{pgbenchOutput}");
        Assert.All(pgbenchRows, row => Assert.True(pgbenchSubmitted.GetValueOrDefault(row) == 1,
            $"'{row}' has {pgbenchSubmitted.GetValueOrDefault(row)} statement_submitted entries; some there: {string.Join(" | ", pgbenchSubmitted.Keys.Take(3))}"));
        Assert.All(pgbenchSubmitted, pair => Assert.Equal(1, pair.Value));

        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    /// <summary>
    /// pgbench inserting unique random keys in simple-protocol mode (so each statement's SQL in the ledger carries its
    /// values) until the Host is killed under it, which aborts its clients.
    /// </summary>
    private async Task<(int ExitCode, string Output)> RunPgbenchUntilTheHostDiesAsync(string table)
    {
        var script = Path.Combine(Path.GetTempPath(), $"tenants-crash-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, $"\\set r random(1, 4611686018427387903)\ninsert into {table} values (:client_id, :r);\n");
        try
        {
            var target = $"host=127.0.0.1 port={_platform.Settings.ProxyPort} user={_platform.Postgres.Username} password={_platform.Postgres.Password} "
                + $"dbname=app options=endpoint={Endpoint}";
            return await ProcessRunner.RunAsync(
                Path.Combine(_platform.Postgres.BinDirectory, "pgbench"),
                ["-n", "-M", "simple", "-f", script, "-c", PgbenchClients.ToString(CultureInfo.InvariantCulture), "-T", "300", target],
                false,
                TimeSpan.FromMinutes(6));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static int ProcessedTransactions(string pgbenchOutput)
    {
        var match = System.Text.RegularExpressions.Regex.Match(pgbenchOutput, @"number of transactions actually processed: (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static string Kind(JsonElement e) => e.GetProperty("kind").GetString()!;

    private static string SqlOf(JsonElement e) =>
        e.TryGetProperty("sql", out var sql) && sql.ValueKind == JsonValueKind.String ? sql.GetString()! : "";
}
