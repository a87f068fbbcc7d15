using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Policy;
using Tenants.Edge.Tests.Hosting;
using Tenants.Policy.Rules;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// The tenant's policy enforced by the proxy in front of a real PostgreSQL, through psql (simple protocol) and Npgsql
/// (extended protocol, prepared statements, pipelines). The policy is a hand-written stand-in of the policy model.
/// </summary>
public sealed class PolicyEnforcementTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly EdgePolicyProviderStandIn _policies = new();
    private EdgeTestHost? _edge;
    private string _direct = "";

    private async Task<string> StartAsync(StatementPolicyStandIn? policy = null)
    {
        _direct = await postgres.CreateUniqueDatabaseAsync("policy");
        await Sql.ExecuteAsync(_direct, "create table t (n int)");
        var server = new NpgsqlConnectionStringBuilder(_direct);
        if (policy is not null)
        {
            Publish(policy);
        }

        _edge = await EdgeTestHost.StartAsync(options =>
        {
            options.Endpoints.Add(EdgeTestHost.Endpoint("pg", server.Host!, server.Port));
            options.Tls.Enabled = false;
        }, services => services.AddSingleton<IEdgePolicyProvider>(_policies));
        return Proxied();
    }

    private string Proxied(string application = "policy-test") =>
        new NpgsqlConnectionStringBuilder(_direct)
        {
            Host = _edge!.Host, Port = _edge.Port, Options = "endpoint=pg", Pooling = false, SslMode = SslMode.Disable, ApplicationName = application,
        }.ConnectionString;

    private void Publish(IStatementPolicy policy) => _policies.Handle.Set(new EdgePolicy(policy, new byte[32], []));

    [Fact]
    public async Task Npgsql_DeniedDrop_Gets42501NamingTheRule_TableStillThere_SessionGoesOn()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn());
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();

        var denied = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "drop table t"));

        Assert.Equal("42501", denied.SqlState);
        Assert.Contains("rule 'no-drop'", denied.MessageText, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(denied.Hint));
        Assert.Equal(0L, await Sql.Scalar(connection, "select count(*) from t"));
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Fact]
    public async Task Npgsql_PreparedStatementDenied_EveryExecution_AndTheTableStays()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn());
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand("drop table t", connection);
        await drop.PrepareAsync();

        var first = await Assert.ThrowsAsync<PostgresException>(() => drop.ExecuteNonQueryAsync());
        var second = await Assert.ThrowsAsync<PostgresException>(() => drop.ExecuteNonQueryAsync());

        Assert.Equal(("42501", "42501"), (first.SqlState, second.SqlState));
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Fact]
    public async Task Npgsql_BatchWithADeniedStatementInTheMiddle_NothingOfTheBatchStays()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn());
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new("insert into t values (1)"), new("drop table t"), new("insert into t values (2)") },
        };

        var denied = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());

        Assert.Equal("42501", denied.SqlState);
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    [Fact]
    public async Task Npgsql_DeniedInsideATransaction_AbortsItLikeAnyError_AndRollbackWorks()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn());
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Sql.Scalar(connection, "insert into t values (1)");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "drop table t"));
        var aborted = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "select 1"));
        await transaction.RollbackAsync();

        Assert.Equal(("42501", "25P02"), (denied.SqlState, aborted.SqlState));
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
        Assert.Equal(1, await Sql.Scalar(connection, "select 1"));
    }

    [Fact]
    public async Task Psql_MultiStatementStringWithOneDeniedPart_NothingOfItRuns()
    {
        await StartAsync(new StatementPolicyStandIn());

        var result = await PsqlAsync("-c", "insert into t values (1); drop table t; insert into t values (2)");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("42501", result.Output, StringComparison.Ordinal);
        Assert.Contains("rule 'no-drop'", result.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"));
    }

    [Fact]
    public async Task Psql_DeniedInsideBegin_TransactionAborted_RollbackThenTheSessionWorks()
    {
        await StartAsync(new StatementPolicyStandIn());

        var result = await PsqlAsync("-c", "begin", "-c", "insert into t values (1)", "-c", "drop table t", "-c", "select 'after'",
            "-c", "rollback", "-c", "select 'count=' || count(*) from t");

        Assert.Contains("42501", result.Output, StringComparison.Ordinal);
        Assert.Contains("25P02", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nafter", result.Output, StringComparison.Ordinal);
        Assert.Contains("count=0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeniedStatement_EventRecordsDecisionRuleAndPolicyVersion()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn(version: 7, versionHash: "feedface"));
        await using (var connection = new NpgsqlConnection(proxied))
        {
            await connection.OpenAsync();
            await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "drop table t"));
            await Sql.Scalar(connection, "select 1");
        }

        var denied = await _edge!.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.Sql == "drop table t", Patience);
        var allowed = await _edge.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.Sql == "select 1", Patience);

        Assert.Equal(("denied", "no-drop", 7, "feedface", "42501"), (denied.PolicyDecision, denied.PolicyRuleId, denied.PolicyVersion, denied.PolicyVersionHash, denied.SqlState));
        Assert.Null(allowed.PolicyDecision);
    }

    [Fact]
    public async Task PolicyPublishedWhileASessionIsOpen_IsEnforcedOnThatSession()
    {
        var proxied = await StartAsync();
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();
        await Sql.ExecuteAsync(proxied, "create table u (n int)");
        await Sql.Scalar(connection, "drop table u");

        Publish(new StatementPolicyStandIn());
        var denied = await Assert.ThrowsAsync<PostgresException>(() => Sql.Scalar(connection, "drop table t"));

        Assert.Equal("42501", denied.SqlState);
        Publish(PolicyCompiler.None);
        await Sql.Scalar(connection, "drop table t");
    }

    [Fact]
    public async Task ConcurrentSessions_TheThirdIsRefusedWith53300NamingTheRule_AndAdmittedOnceOneCloses()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn
        {
            SessionLimits = new SessionLimits { ConcurrentSessions = 2, ConcurrentSessionsRuleId = "two-at-a-time" },
        });
        await using var first = new NpgsqlConnection(proxied);
        await using var second = new NpgsqlConnection(proxied);
        await first.OpenAsync();
        await second.OpenAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlConnection(proxied).OpenAsync());

        Assert.Equal("53300", refused.SqlState);
        Assert.Contains("rule 'two-at-a-time'", refused.MessageText, StringComparison.Ordinal);
        var recorded = await _edge!.Audit.WaitForAsync(e => e.Kind == AuditEventKind.ConnectionRefused, Patience);
        Assert.Equal(("limited", "two-at-a-time", "53300"), (recorded.PolicyDecision, recorded.PolicyRuleId, recorded.SqlState));

        await first.CloseAsync();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var third = new NpgsqlConnection(proxied);
                await third.OpenAsync();
                return true;
            }
            catch (PostgresException e) when (e.SqlState == "53300")
            {
                return false;
            }
        }, Patience, "a session admitted once one of the two closed");
    }

    [Fact]
    public async Task StatementsPerSecond_OverTheRate_RefusedWith54000NamingTheRule_NothingRan()
    {
        var proxied = await StartAsync(new StatementPolicyStandIn
        {
            SessionLimits = new SessionLimits { StatementsPerSecond = 1, StatementsPerSecondRuleId = "slow-down" },
        });
        await using var connection = new NpgsqlConnection(proxied);
        await connection.OpenAsync();

        // A bucket of one statement refilled at one per second: twenty statements in a row cannot all pass.
        PostgresException? limited = null;
        var ran = 0L;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            try
            {
                await Sql.Scalar(connection, "insert into t values (1)");
                ran++;
            }
            catch (PostgresException e)
            {
                limited = e;
            }
        }

        Assert.NotNull(limited);
        Assert.Equal("54000", limited.SqlState);
        Assert.Contains("rule 'slow-down'", limited.MessageText, StringComparison.Ordinal);
        var inserted = (long)(await Sql.Scalar(new NpgsqlConnection(_direct), "select count(*) from t"))!;
        var refused = await _edge!.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.PolicyDecision == "limited", Patience);
        Assert.Equal(("slow-down", "54000"), (refused.PolicyRuleId, refused.SqlState));
        Assert.Equal(ran, inserted);
    }

    [Fact]
    public async Task PolicyCannotBeLoaded_ConnectionRefusedWith57P03_NotRunUnguarded()
    {
        var proxied = await StartAsync();
        _policies.Unavailable = true;

        var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlConnection(proxied).OpenAsync());

        Assert.Equal("57P03", refused.SqlState);
        Assert.Contains("policy", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subject_CarriesTheEndpointAndTheDatabaseUser()
    {
        var policy = new StatementPolicyStandIn();
        var proxied = await StartAsync(policy);

        await Sql.Scalar(new NpgsqlConnection(proxied), "select 1");

        var user = new NpgsqlConnectionStringBuilder(_direct).Username;
        lock (policy.Subjects)
        {
            Assert.Contains(new PolicySubject("pg", user!), policy.Subjects);
        }
    }

    private Task<ProcessResult> PsqlAsync(params string[] commands) =>
        Sql.PsqlAsync(postgres.BinDirectory, _edge!, _direct, Patience, null, ["-v", "VERBOSITY=verbose", .. commands]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }
}
