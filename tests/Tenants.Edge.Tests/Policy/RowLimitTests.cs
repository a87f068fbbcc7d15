using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Policy;
using Tenants.Edge.Tests.Hosting;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// The policy's row limit (MaxRows) at the proxy in front of a real PostgreSQL, through psql (simple protocol) and
/// Npgsql (extended protocol). Table <c>t</c> holds the ten rows 101..110; the stand-in limits statements naming it.
/// </summary>
public sealed class RowLimitTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly EdgePolicyProviderStandIn _policies = new();
    private EdgeTestHost? _edge;
    private string _direct = "";

    private async Task<string> StartAsync(long maxRows, int version = 3, string versionHash = "ab12cd34")
    {
        _direct = await postgres.CreateUniqueDatabaseAsync("rowlimit");
        await Sql.ExecuteAsync(_direct, "create table t (n int); insert into t select g from generate_series(101, 110) g");
        var server = new NpgsqlConnectionStringBuilder(_direct);
        _policies.Handle.Set(new EdgePolicy(new StatementPolicyStandIn(version, versionHash) { MaxRows = maxRows }, new byte[32], []));
        _edge = await EdgeTestHost.StartAsync(options =>
        {
            options.Endpoints.Add(EdgeTestHost.Endpoint("pg", server.Host!, server.Port));
            options.Tls.Enabled = false;
        }, services => services.AddSingleton<IEdgePolicyProvider>(_policies));
        return new NpgsqlConnectionStringBuilder(_direct)
        {
            Host = _edge.Host, Port = _edge.Port, Options = "endpoint=pg", Pooling = false, SslMode = SslMode.Disable, ApplicationName = "row-limit-test",
        }.ConnectionString;
    }

    [Fact]
    public async Task Psql_TenRowsUnderALimitOfThree_Gets54000NamingTheRule_PrintsNoRow_AndGoesOn()
    {
        await StartAsync(maxRows: 3);

        var result = await PsqlAsync("-c", "select n from t order by n", "-c", "select 'after'");

        Assert.Contains("54000", result.Output, StringComparison.Ordinal);
        Assert.Contains("more than 3 rows (limit of policy rule 'cap')", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("101", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("104", result.Output, StringComparison.Ordinal);
        Assert.Contains("after", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Npgsql_ReaderGetsTheFirstThreeRows_Then54000_AndTheSessionStaysUsable()
    {
        var proxied = await StartAsync(maxRows: 3);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        var read = new List<int>();

        var limited = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand("select n from t order by n", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                read.Add(reader.GetInt32(0));
            }
        });

        Assert.Equal("54000", limited.SqlState);
        Assert.Contains("rule 'cap'", limited.MessageText, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(limited.Hint));
        Assert.Equal([101, 102, 103], read);
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
        Assert.Equal(10L, await Sql.Scalar(connection, "select count(*) from t"));
    }

    [Fact]
    public async Task Npgsql_LimitedInsideATransaction_AbortsIt_Next25P02_RollbackUndoesTheInsert()
    {
        var proxied = await StartAsync(maxRows: 3);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Sql.Scalar(connection, "insert into t values (200)");

        var limited = await Assert.ThrowsAsync<PostgresException>(() => ReadAllAsync(connection, "select n from t"));
        var aborted = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "select 1"));
        await transaction.RollbackAsync();

        Assert.Equal(("54000", "25P02"), (limited.SqlState, aborted.SqlState));
        Assert.Equal(10L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    [Fact]
    public async Task Psql_LimitedInsideBegin_TransactionAborted_RollbackThenTheSessionWorks()
    {
        await StartAsync(maxRows: 3);

        var result = await PsqlAsync("-c", "begin", "-c", "insert into t values (200)", "-c", "select n from t", "-c", "select 'after'",
            "-c", "rollback", "-c", "select 'count=' || count(*) from t");

        Assert.Contains("54000", result.Output, StringComparison.Ordinal);
        Assert.Contains("25P02", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nafter", result.Output, StringComparison.Ordinal);
        Assert.Contains("count=10", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FewerRowsThanTheLimit_Untouched_AndTheEventIsNotLimited()
    {
        var proxied = await StartAsync(maxRows: 10);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();

        var rows = await ReadAllAsync(connection, "select n from t");

        Assert.Equal(10, rows.Count);
        var recorded = await _edge!.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.Sql == "select n from t", Patience);
        Assert.Equal((null, null, 10L), (recorded.PolicyDecision, recorded.SqlState, recorded.Rows));
    }

    [Fact]
    public async Task LimitedStatement_EventRecordsLimitedRuleVersionRowsSentAnd54000()
    {
        var proxied = await StartAsync(maxRows: 4, version: 9, versionHash: "c0ffee");
        await using (var connection = new NpgsqlConnection(proxied))
        {
            await connection.OpenAsync();
            await Assert.ThrowsAsync<PostgresException>(() => ReadAllAsync(connection, "select n from t"));
        }

        var recorded = await _edge!.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.Sql == "select n from t", Patience);

        Assert.Equal(("limited", "cap", 9, "c0ffee"), (recorded.PolicyDecision, recorded.PolicyRuleId, recorded.PolicyVersion, recorded.PolicyVersionHash));
        Assert.Equal(("54000", 4L), (recorded.SqlState, recorded.Rows));
        Assert.Contains("more than 4 rows", recorded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Psql_SeveralStatementsUnderALimit_RefusedWhole_NothingRuns()
    {
        await StartAsync(maxRows: 3);

        var result = await PsqlAsync("-c", "insert into t values (200); select n from t");

        Assert.Contains("54000", result.Output, StringComparison.Ordinal);
        Assert.Contains("several statements", result.Output, StringComparison.Ordinal);
        Assert.Equal(10L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Theory]
    [InlineData("copy t to stdout")]
    [InlineData("copy (select n from t) to stdout")]
    [InlineData("/* export */ copy (delete from t returning n) to stdout")]
    public async Task Psql_CopyOutUnderALimit_RefusedUpFront_NoRowLeaves(string copy)
    {
        await StartAsync(maxRows: 3);

        var result = await PsqlAsync("-c", copy);

        Assert.Contains("54000", result.Output, StringComparison.Ordinal);
        Assert.Contains("COPY ... TO cannot run under a row limit of 3", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("101", result.Output, StringComparison.Ordinal);
        Assert.Equal(10L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Fact]
    public async Task Npgsql_CopyIntoTheTableUnderALimit_Runs()
    {
        var proxied = await StartAsync(maxRows: 3);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();

        await using (var writer = await connection.BeginTextImportAsync("copy t from stdin"))
        {
            await writer.WriteAsync("201\n202\n");
        }

        Assert.Equal(12L, await Sql.Scalar(connection, "select count(*) from t"));
    }

    [Fact]
    public async Task Npgsql_BatchWithALimitedSelectThenAnInsert_ClientGets54000_TheSessionGoesOn()
    {
        var proxied = await StartAsync(maxRows: 3);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new("select n from t"), new("select 'second'") },
        };

        var limited = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var reader = await batch.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                }
            }
            while (await reader.NextResultAsync());
        });

        Assert.Equal("54000", limited.SqlState);
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    [Fact]
    public async Task Npgsql_BatchInATransaction_LimitedSelectThenAnInsert_TransactionAborted_RollbackUndoesTheInsert()
    {
        var proxied = await StartAsync(maxRows: 3);
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new("select n from t"), new("insert into t values (300)") },
        };

        var limited = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var reader = await batch.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                }
            }
            while (await reader.NextResultAsync());
        });
        var aborted = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "select 1"));
        await transaction.RollbackAsync();

        Assert.Equal(("54000", "25P02"), (limited.SqlState, aborted.SqlState));
        Assert.Equal(10L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    private Task<ProcessResult> PsqlAsync(params string[] commands) =>
        Sql.PsqlAsync(postgres.BinDirectory, _edge!, _direct, Patience, null, ["-v", "VERBOSITY=verbose", .. commands]);

    private static async Task<List<int>> ReadAllAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<int>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetInt32(0));
        }

        return rows;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }
}
