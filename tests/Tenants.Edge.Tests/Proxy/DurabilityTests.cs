using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Proxy;
using Tenants.Edge.Tests.Hosting;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>
/// The durability modes through the proxy, in front of a real PostgreSQL, with the real audit delivery and a stand-in
/// ledger grain that can be switched off.
/// </summary>
public sealed class DurabilityTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string RefusalCode = ProxySession.RefusalSqlState;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly LedgerGrainFake _ledger = new();
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "tenants-durability-" + Guid.NewGuid().ToString("N"));
    private EdgeTestHost? _edge;
    private string _direct = "";

    private async Task<string> StartAsync(DurabilityMode? everything = null, int queueCapacity = 100_000)
    {
        _direct = await postgres.CreateUniqueDatabaseAsync("durability");
        await Sql.ExecuteAsync(_direct, "create table t (n int)");
        var server = new NpgsqlConnectionStringBuilder(_direct);
        _edge = await EdgeTestHost.StartAsync(options =>
        {
            var endpoint = EdgeTestHost.Endpoint("pg", server.Host!, server.Port);
            if (everything is { } mode)
            {
                endpoint.Durability = new EndpointDurabilityOptions { Read = mode, Write = mode, Ddl = mode, Dcl = mode, Tcl = mode, Other = mode };
            }

            options.Endpoints.Add(endpoint);
            options.Audit.DurableTimeout = TimeSpan.FromSeconds(2);
            options.AuditQueueCapacity = queueCapacity;
            options.Tls.Enabled = false;
        }, _ledger, _spool);
        return new NpgsqlConnectionStringBuilder(_direct) { Host = _edge.Host, Port = _edge.Port, Options = "endpoint=pg", Pooling = false, SslMode = SslMode.Disable }.ConnectionString;
    }

    [Fact]
    public async Task Durable_LedgerDown_InsertFailsWith55000AndNeverRunsAndTheSessionGoesOn()
    {
        var proxied = await StartAsync();
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        _ledger.Available = false;

        // Simple protocol, extended protocol with a parameter, and a pipeline of two statements before one Sync.
        var simple = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "insert into t values (1)"));
        var extended = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "insert into t values ($1)", 2));
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new("insert into t values (3)"), new("insert into t values (4)") } };
        var pipelined = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());

        Assert.All(new[] { simple, extended, pipelined }, e => Assert.Equal(RefusalCode, e.SqlState));
        Assert.Contains("audit ledger did not acknowledge", simple.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));

        // Reads are sequenced: they still run; and once the ledger is back, so do writes, on the same session.
        Assert.Equal(0L, await Sql.Scalar(connection, "select count(*) from t"));
        _ledger.Available = true;
        await Sql.Scalar(connection, "insert into t values ($1)", 5);
        Assert.Equal(5, await Sql.Scalar(new NpgsqlConnection(_direct), "select sum(n)::int from t"));

        // The refusals are recorded as statements that did not run.
        var events = await _ledger.WaitForAsync(l => l.Count(e => e.Kind == AuditEventKind.Statement && e.SqlState == RefusalCode) >= 3, Patience);
        Assert.Contains(events, e => e.Kind == AuditEventKind.Statement && e.Sql == "insert into t values (1)" && e.SqlState == RefusalCode);
    }

    [Fact]
    public async Task Durable_RefusedInsideTransaction_TransactionAbortsAndCommitsNothing()
    {
        var proxied = await StartAsync();
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Sql.Scalar(connection, "insert into t values (1)");
        _ledger.Available = false;

        await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "insert into t values (2)"));
        var aborted = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "select 1"));

        Assert.Equal("25P02", aborted.SqlState);
        await transaction.RollbackAsync();
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Fact]
    public async Task Durable_LedgerUp_SubmittedEventIsInTheLedgerBeforeTheStatementRuns()
    {
        var proxied = await StartAsync();
        long? rowsWhenRecorded = null;
        _ledger.OnAppend = async batch =>
        {
            if (batch.Any(e => e.Kind == AuditEventKind.StatementSubmitted && e.Sql == "insert into t values (7)"))
            {
                rowsWhenRecorded = (long?)await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t");
            }
        };
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();

        await Sql.Scalar(connection, "insert into t values (7)");

        Assert.Equal(0L, rowsWhenRecorded);
        var events = await _ledger.WaitForAsync(l => l.Any(e => e.Kind == AuditEventKind.Statement && e.Sql == "insert into t values (7)"), Patience);
        var submitted = events.ToList().FindIndex(e => e.Kind == AuditEventKind.StatementSubmitted && e.Sql == "insert into t values (7)");
        var completed = events.ToList().FindIndex(e => e.Kind == AuditEventKind.Statement && e.Sql == "insert into t values (7)");
        Assert.InRange(submitted, 0, completed - 1);
        Assert.Equal(1L, events[completed].Rows);
    }

    [Fact]
    public async Task Durable_LedgerHangs_InsertRefusedAtTheTimeoutAndNeverRuns()
    {
        var proxied = await StartAsync();
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        _ledger.Block();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "insert into t values (1)"));

        Assert.Equal(RefusalCode, refused.SqlState);
        _ledger.Release();
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    [Fact]
    public async Task Sequenced_QueueFullWhileTheLedgerIsSlow_SessionsWaitAndNoEventIsLost()
    {
        var proxied = await StartAsync(DurabilityMode.Sequenced, queueCapacity: 2);
        _ledger.Block();
        var queries = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(proxied);
            await connection.OpenAsync();
            for (var i = 0; i < 50; i++)
            {
                await Sql.Scalar(connection, $"select {i}");
            }
        });

        await Eventually.TrueAsync(() => Task.FromResult(_ledger.Attempts > 0), Patience, "a delivery under way");
        _ledger.Release();
        await queries;

        var events = await _ledger.WaitForAsync(l => l.Any(e => e.Kind == AuditEventKind.SessionEnded), Patience);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"select {i}"), events.Where(e => e.Kind == AuditEventKind.Statement && e.Sql!.StartsWith("select ", StringComparison.Ordinal) && e.Sql.Length < 10).Select(e => e.Sql));
    }

    [Fact]
    public async Task Async_LedgerDown_StatementsRunAndTheirEventsArriveInOrderOnceItReturns()
    {
        var proxied = await StartAsync(DurabilityMode.Async);
        _ledger.Available = false;
        await using (var connection = new NpgsqlConnection(proxied))
        {
            await connection.OpenAsync();
            for (var i = 0; i < 30; i++)
            {
                await Sql.Scalar(connection, "insert into t values ($1)", i);
            }
        }

        Assert.Equal(30L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Empty(_ledger.Events);
        await Eventually.TrueAsync(() => Task.FromResult(Directory.GetFiles(_spool, "*.spool", SearchOption.AllDirectories).Length > 0), Patience, "events spooled to disk");

        _ledger.Available = true;
        var events = await _ledger.WaitForAsync(l => l.Any(e => e.Kind == AuditEventKind.SessionEnded), Patience);

        var parameters = events.Where(e => e.Kind == AuditEventKind.Statement && e.Sql == "insert into t values ($1)").Select(e => e.Parameters![0]).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), parameters);
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.DoesNotContain(events, e => e.Kind == AuditEventKind.StatementSubmitted);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _ledger.Available = true;
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }
}
