using Tenants.PgWire;
using Tenants.PgWire.Frontend;
using Tenants.Testing;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>Connection-level edge cases: cancel routing, the startup phase, closing in the middle of a message.</summary>
public sealed partial class FakeServerEdgeCaseTests
{
    [Fact]
    public async Task CancelRequest_ForRegisteredKey_ReachesServerOnANewConnection()
    {
        await using var harness = await StartAsync();
        var (client, login, upstream) = await harness.LoginAsync("cancel");
        await using var _client = client;
        var keyData = Assert.Single(login, m => m.Kind == 'K');
        Assert.Equal(upstream.CancelKey, keyData.Body);

        await using var canceller = await harness.ConnectAsync();
        await canceller.SendAsync(PgFrontendMessages.CancelRequest(upstream.CancelKey));
        var cancel = await harness.Server.WaitForCancelRequestAsync(upstream.CancelKey, Patience);
        var (answer, closed, _) = await canceller.ReadToEndAsync(Patience);

        Assert.NotEqual(upstream.Index, cancel.Index);
        Assert.Equal(PgFrontendMessages.CancelRequest(upstream.CancelKey), cancel.StartupBytes);
        Assert.True(closed);
        Assert.Empty(answer);
    }

    [Fact]
    public async Task CancelRequest_ForKeyOfEndedSession_IsNotForwarded()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("cancel-ended");
        await client.SendAsync(PgFrontendMessages.Terminate());
        await client.DisposeAsync();
        await harness.Edge.Audit.WaitForSessionEndAsync("cancel-ended", Patience);

        await using var canceller = await harness.ConnectAsync();
        await canceller.SendAsync(PgFrontendMessages.CancelRequest(upstream.CancelKey));
        var (_, closed, _) = await canceller.ReadToEndAsync(Patience);
        var seen = await harness.Server.SettleAsync(Patience);

        Assert.True(closed);
        Assert.DoesNotContain(seen, c => c.Startup?.Kind == StartupPacketKind.CancelRequest);
    }

    [Fact]
    public async Task CancelRequest_ForFirstOfTwoKeysOfEndedSession_IsNotForwarded()
    {
        byte[] first = [0, 0, 0x30, 0x39, 1, 2, 3, 4];
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnStartup = async connection => await connection.SendAsync(
                PgBackendMessages.AuthenticationOk(),
                PgBackendMessages.Message(BackendMessageCode.BackendKeyData, first),
                PgBackendMessages.BackendKeyData(connection.ProcessId, connection.SecretKey),
                PgBackendMessages.ReadyForQuery()),
        });
        var (client, _, _) = await harness.LoginAsync("two-keys");
        await client.SendAsync(PgFrontendMessages.Terminate());
        await client.DisposeAsync();
        await harness.Edge.Audit.WaitForSessionEndAsync("two-keys", Patience);

        await using var canceller = await harness.ConnectAsync();
        await canceller.SendAsync(PgFrontendMessages.CancelRequest(first));
        await canceller.ReadToEndAsync(Patience);
        var seen = await harness.Server.SettleAsync(Patience);

        Assert.DoesNotContain(seen, c => c.Startup?.Kind == StartupPacketKind.CancelRequest);
    }

    [Fact]
    public async Task Startup_NothingSent_ClientGets08P01WhenStartupTimeoutPasses()
    {
        await using var harness = await StartAsync(configure: o => o.StartupTimeout = TimeSpan.FromMilliseconds(500));
        await using var client = await harness.ConnectAsync();
        await client.SendAsync(PgFrontendMessages.Startup(StartupParameters("slow"))[..10]);

        var error = await client.ReadMessageAsync(Patience);
        var (_, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.Equal(("E", PostgresErrorCodes.ProtocolViolation), (error!.Kind.ToString(), error.SqlState));
        Assert.True(closed);
        Assert.Empty(harness.Server.Connections);
    }

    [Fact]
    public async Task StartupParameter_NotUtf8_ReachesServerByteForByte()
    {
        await using var harness = await StartAsync();
        byte[] latin1User = [(byte)'c', (byte)'a', (byte)'f', 0xE9];
        var startup = PgFrontendMessages.Startup(("user", "XXXX"), ("application_name", "latin1"), ("options", $"endpoint={EndpointId}"));
        var at = startup.AsSpan().IndexOf("XXXX"u8);
        latin1User.CopyTo(startup, at);
        await using var client = await harness.ConnectAsync();

        await client.SendAsync(startup);
        var upstream = await harness.Server.WaitForApplicationAsync("latin1", Patience);

        Assert.True(upstream.StartupBytes.AsSpan().IndexOf(latin1User) >= 0, Convert.ToHexString(upstream.StartupBytes));
    }

    [Fact]
    public async Task ClientBadLength_WhileServerMessageIsHalfSent_ClosesWithoutAppendingAnErrorInsideIt()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = async (connection, message) =>
            {
                if (message.Kind == 'Q')
                {
                    await connection.SendAsync(PgBackendMessages.RowDescription("x"), PgBackendMessages.DataRow(new string('x', 1000))[..100]);
                    await connection.StallAsync();
                }
            },
        });
        var (client, _, upstream) = await harness.LoginAsync("halfrow");
        await using var _client = client;
        await client.SendAsync(PgFrontendMessages.Query("select repeat('x', 1000)"));
        Assert.Equal('T', (await client.ReadMessageAsync(Patience))!.Kind);

        await client.SendAsync(PgBackendMessages.Header((byte)'Q', 3));
        var (bytes, closed, _) = await client.ReadToEndAsync(Patience);

        // The half row was already on its way (the proxy never buffers a message whole); an ErrorResponse after it
        // would be read as the rest of the row, so the proxy closes and adds nothing.
        Assert.True(closed);
        Assert.Equal(PgBackendMessages.DataRow(new string('x', 1000))[..100], bytes);
    }
}
