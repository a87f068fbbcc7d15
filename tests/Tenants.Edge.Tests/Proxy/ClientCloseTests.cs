using Tenants.Abstractions.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>
/// Clients that close right after their last bytes. Each test repeats the exchange, since the failures are races
/// between the client's close and the proxy forwarding what came before it.
/// </summary>
[Collection(ProxyCollection.Name)]
public sealed class ClientCloseTests
{
    private const int Rounds = 40;

    [Fact]
    public async Task Client_SendsHalfAMessageAndCloses_SessionAlwaysEndsWithAnEvent()
    {
        await using var harness = await StartAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10 * Rounds), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var (client, _, _) = await harness.LoginAsync($"partial-{i}");
            await client.SendAsync(PgBackendMessages.Header((byte)'Q', 100, "select"u8));
            await client.DisposeAsync();
        });

        for (var i = 0; i < 10 * Rounds; i++)
        {
            var events = await harness.Edge.Audit.WaitForSessionEndAsync($"partial-{i}", Patience);
            Assert.Equal(AuditEventKind.SessionEnded, events[^1].Kind);
        }
    }

    [Fact]
    public async Task Client_SendsQueryThenClosesItsSendingSide_QueryRunsAndAnswerArrives()
    {
        await using var harness = await StartAsync();
        for (var i = 0; i < Rounds; i++)
        {
            var (client, _, upstream) = await harness.LoginAsync($"halfclose-{i}");
            await using var _client = client;
            await client.SendAsync(PgFrontendMessages.Query("select 1"));
            client.ShutdownSend();

            var (answer, closed, _) = await client.ReadToEndAsync(Patience);

            Assert.True(closed);
            Assert.Equal('Q', (await upstream.WaitForMessageAsync('Q', Patience)).Kind);
            Assert.Equal("TDCZ", string.Concat(FakeServerEdgeCaseTests.SplitMessages(answer, out _).Select(m => m.Kind)));
        }
    }
}
