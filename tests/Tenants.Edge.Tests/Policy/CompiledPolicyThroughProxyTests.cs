using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Edge.Policy;
using Tenants.Edge.Tests.Hosting;
using Tenants.Policy.Rules;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// The real policy model (compiled from a document, with the real SQL analyser) enforced by the proxy in front of a
/// real PostgreSQL: SQL that hides keywords in comments, strings or dollar quotes runs; SQL that hides a denied
/// statement behind odd case, quoting, a second statement, a CTE or a DO block is refused with the rule's name, and
/// nothing of it ran.
/// </summary>
public sealed class CompiledPolicyThroughProxyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Document = """
        {"rules": [
          {"id": "no-drop", "effect": "deny", "commands": ["DROP TABLE", "TRUNCATE TABLE"]},
          {"id": "require-where", "effect": "deny", "missingWhere": true},
          {"id": "no-vault", "effect": "deny", "schemas": ["vault"]},
          {"id": "no-do", "effect": "deny", "commands": ["DO"]}
        ]}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly EdgePolicyProviderStandIn _policies = new();
    private EdgeTestHost? _edge;
    private string _direct = "";

    public async Task InitializeAsync()
    {
        _direct = await postgres.CreateUniqueDatabaseAsync("compiled");
        await using (var connection = new NpgsqlConnection(_direct))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("create table t (n int); insert into t values (1), (2); create schema vault; create table vault.keys (k text)", connection).ExecuteNonQueryAsync();
        }

        var compiled = PolicyCompiler.Compile(Document, 1, "doc");
        Assert.True(compiled.Policy is not null, string.Join("; ", compiled.Problems));
        _policies.Handle.Set(new EdgePolicy(compiled.Policy, new byte[32], []));
        var server = new NpgsqlConnectionStringBuilder(_direct);
        _edge = await EdgeTestHost.StartAsync(options =>
        {
            options.Endpoints.Add(EdgeTestHost.Endpoint("pg", server.Host!, server.Port));
            options.Tls.Enabled = false;
        }, services => services.AddSingleton<IEdgePolicyProvider>(_policies));
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/* DROP TABLE t */ select count(*) from t")]
    [InlineData("select count(*) from t -- ; drop table t")]
    [InlineData("select count(*) from t where 'drop table t' <> $$ truncate t $$")]
    [InlineData("delete from t where n = 42")]
    [InlineData("with kept as (select n from t) select count(*) from kept")]
    public async Task Psql_KeywordsInCommentsStringsAndDollarQuotes_Run(string sql)
    {
        var result = await PsqlAsync(sql);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(2L, await CountAsync());
    }

    [Theory]
    [InlineData("DrOp   TaBlE t", "no-drop")]
    [InlineData("drop table \"t\"", "no-drop")]
    [InlineData("select 1; drop table t", "no-drop")]
    [InlineData("truncate t", "no-drop")]
    [InlineData("update t set n = 0", "require-where")]
    [InlineData("with gone as (delete from t returning n) select count(*) from gone", "require-where")]
    [InlineData("select * from vault.keys", "no-vault")]
    [InlineData("select * from \"vault\".\"keys\"", "no-vault")]
    [InlineData("do $$ begin drop table t; end $$", "no-do")]
    public async Task Psql_DeniedStatementsHoweverWritten_AreRefusedNamingTheRule_AndNothingRan(string sql, string rule)
    {
        var result = await PsqlAsync(sql);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("42501", result.Output, StringComparison.Ordinal);
        Assert.Contains($"'{rule}'", result.Output, StringComparison.Ordinal);
        Assert.Equal(2L, await CountAsync());
    }

    [Fact]
    public async Task Npgsql_PreparedDeleteWithoutWhere_IsRefused_WithWhereRuns()
    {
        await using var connection = new NpgsqlConnection(Proxied());
        await connection.OpenAsync();
        await using var all = new NpgsqlCommand("delete from t", connection);
        await all.PrepareAsync();
        await using var one = new NpgsqlCommand("delete from t where n = $1", connection) { Parameters = { new() { Value = 2 } } };
        await one.PrepareAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => all.ExecuteNonQueryAsync());
        var deleted = await one.ExecuteNonQueryAsync();

        Assert.Equal("42501", refused.SqlState);
        Assert.Contains("require-where", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, deleted);
        Assert.Equal(1L, await CountAsync());
    }

    private string Proxied() => new NpgsqlConnectionStringBuilder(_direct)
    {
        Host = _edge!.Host, Port = _edge.Port, Options = "endpoint=pg", Pooling = false, SslMode = SslMode.Disable,
    }.ConnectionString;

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(_direct);
        await connection.OpenAsync();
        return (long)(await new NpgsqlCommand("select count(*) from t", connection).ExecuteScalarAsync())!;
    }

    private Task<ProcessResult> PsqlAsync(string sql) =>
        Sql.PsqlAsync(postgres.BinDirectory, _edge!, _direct, Patience, null, "-v", "VERBOSITY=verbose", "-v", "ON_ERROR_STOP=1", "-c", sql);
}
