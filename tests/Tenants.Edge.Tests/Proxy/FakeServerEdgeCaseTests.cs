using Tenants.Abstractions.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>Protocol edge cases that a real server will not produce on demand, played by a scripted fake behind the proxy.</summary>
public sealed class FakeServerEdgeCaseTests
{
    [Fact]
    public async Task SimpleQuery_ThroughProxy_ClientGetsRowsAndStatementIsRecorded()
    {
        await using var harness = await StartAsync();
        var (client, login, _) = await harness.LoginAsync("simple");
        await using var _client = client;

        Assert.Equal('Z', login[^1].Kind);
        await client.SendAsync(PgFrontendMessages.Query("select 1"));
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("TDCZ", string.Concat(answer.Select(m => m.Kind)));
        var statement = await harness.Edge.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.ApplicationName == "simple", Patience);
        Assert.Equal("select 1", statement.Sql);
        Assert.Equal("SELECT 1", statement.CommandTag);
        Assert.Equal(1, statement.Rows);
    }
}
