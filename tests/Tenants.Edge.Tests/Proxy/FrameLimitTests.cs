using Tenants.PgWire;
using Tenants.Testing;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>
/// A frame that announces more than the limit is refused as soon as its header is in: without waiting for bytes
/// that will never come, and without allocating anything near the announced size.
/// </summary>
[Collection(ProxyCollection.Name)]
public sealed class FrameLimitTests
{
    private const int OneGiB = 1 << 30;

    /// <summary>Far below the 1 GiB a buffer for the announced frame would take, far above what a test run allocates.</summary>
    private const long AllocationBound = 256L << 20;

    [Fact]
    public async Task StartupPacket_Announcing1GiB_Is08P01AtOnceWithoutAllocatingIt()
    {
        await using var harness = await StartAsync(configure: o => o.StartupTimeout = TimeSpan.FromMinutes(2));
        await using var client = await harness.ConnectAsync();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await client.SendAsync([0x40, 0, 0, 0, 0, 3, 0, 0]);
        var (answer, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.True(closed);
        Assert.Equal(PostgresErrorCodes.ProtocolViolation, Assert.Single(FakeServerEdgeCaseTests.SplitMessages(answer, out _)).SqlState);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, AllocationBound);
    }

    [Fact]
    public async Task ClientMessage_Announcing1GiBOnA1MiBLimit_Is08P01AtOnceAndNeverReachesServer()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("huge-client");
        await using var _client = client;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await client.SendAsync(PgBackendMessages.Header((byte)'Q', OneGiB, "select"u8));
        var (answer, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.True(closed);
        var error = Assert.Single(FakeServerEdgeCaseTests.SplitMessages(answer, out _));
        Assert.Equal((PostgresErrorCodes.ProtocolViolation, $"invalid message length {OneGiB}"), (error.SqlState, error.Fields()['M']));
        await upstream.WaitForPeerCloseAsync(Patience);
        Assert.Equal(0, upstream.BytesReceived);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, AllocationBound);
    }

    [Fact]
    public async Task ServerMessage_Announcing1GiBOnA1MiBLimit_Is08P01AtOnceAndClosesBothSides()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = async (connection, message) =>
            {
                await connection.SendAsync(PgBackendMessages.RowDescription("x"), PgBackendMessages.Header((byte)'D', OneGiB, [0, 1]));
                await connection.StallAsync();
            },
        });
        var (client, _, upstream) = await harness.LoginAsync("huge-server");
        await using var _client = client;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await client.SendAsync(PgFrontendMessages.Query("select x"));
        var (answer, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.True(closed);
        var messages = FakeServerEdgeCaseTests.SplitMessages(answer, out var leftover);
        Assert.Equal(0, leftover);
        Assert.Equal("TE", string.Concat(messages.Select(m => m.Kind)));
        Assert.Equal(PostgresErrorCodes.ProtocolViolation, messages[1].SqlState);
        await upstream.WaitForPeerCloseAsync(Patience);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, AllocationBound);
    }

    [Fact]
    public async Task ClientMessage_AtTheLimit_IsForwardedWhole()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("at-limit");
        await using var _client = client;
        var body = new byte[harness.Edge.Options.MaxMessageSize - 4];
        Array.Fill(body, (byte)'x');
        body[^1] = 0;

        await client.SendAsync(PgMessage.Frame((byte)'Q', body));
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("TDCZ", string.Concat(answer.Select(m => m.Kind)));
        Assert.Equal(body.Length, (await upstream.WaitForMessageAsync('Q', Patience)).Body.Length);
    }
}
