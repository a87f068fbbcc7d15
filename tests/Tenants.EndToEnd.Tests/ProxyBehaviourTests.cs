using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Npgsql;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>What a client notices about the proxy beyond plain statements: cancel, terminate, garbage.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ProxyBehaviourTests(PlatformFixture platform)
{
    [Fact]
    public async Task Npgsql_CancelledQuery_IsCancelledByTheServerThatRunsIt()
    {
        var marker = $"cancel_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select pg_sleep(120) as {marker}", connection);
        using var cancel = new CancellationTokenSource();

        var running = command.ExecuteNonQueryAsync(cancel.Token);
        await WaitUntilActiveAsync(marker);
        await cancel.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal("57014", Assert.IsType<PostgresException>(thrown.InnerException).SqlState);
        await using var again = new NpgsqlCommand("select 7", connection);
        Assert.Equal(7, await again.ExecuteScalarAsync());

        var recorded = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString()?.Contains(marker, StringComparison.Ordinal) == true);
        Assert.Equal("57014", recorded.GetProperty("sqlState").GetString());
    }

    [Fact]
    public async Task Npgsql_BackendTerminatedByAdmin_ClientSeesAdminShutdownAndSessionEnds()
    {
        await using var victim = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA));
        await victim.OpenAsync();
        var pid = victim.ProcessID;
        await using (var admin = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA)))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand($"select pg_terminate_backend({pid})", admin);
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        await using var command = new NpgsqlCommand("select 1", victim);
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteScalarAsync());

        Assert.True(error is PostgresException { SqlState: "57P01" } || error.InnerException is IOException or EndOfStreamException, error.ToString());
        await platform.WaitForEventAsync(PlatformFixture.TenantA, e =>
            e.GetProperty("kind").GetString() == "statement" && e.GetProperty("sql").GetString() == $"select pg_terminate_backend({pid})");
    }

    [Theory]
    [InlineData(int.MaxValue, 196608)]
    [InlineData(3, 196608)]
    [InlineData(16, 0x00020000)]
    public async Task RawSocket_MalformedStartup_Gets08P01AndOthersAreUnaffected(int length, int code)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", platform.ProxyPort);
        var packet = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(packet, length);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(4), code);
        await socket.SendAsync(packet);

        var reply = await ReadToEndAsync(socket);

        Assert.Equal(BackendMessageCode.ErrorResponse, reply[0]);
        Assert.True(ErrorResponseMessage.TryParse(new ReadOnlySequence<byte>(reply, 5, reply.Length - 5), out var error));
        Assert.Equal(Tenants.PgWire.PostgresErrorCodes.ProtocolViolation, error.SqlState);

        await using var healthy = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantB));
        await healthy.OpenAsync();
        await using var command = new NpgsqlCommand("select 42", healthy);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Npgsql_EndpointAtItsConnectionLimit_RefusesTheNextWith53300()
    {
        await using var first = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.LimitedEndpoint));
        await first.OpenAsync();

        await using var second = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.LimitedEndpoint));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => second.OpenAsync());

        Assert.Equal("53300", refused.SqlState);
        Assert.Contains("too many connections to endpoint 'globex-limited'", refused.MessageText);
        await platform.WaitForEventAsync(PlatformFixture.TenantB, e =>
            e.GetProperty("kind").GetString() == "connection_refused" && e.GetProperty("sqlState").GetString() == "53300");

        // The slot is free again once the first session ends.
        await first.CloseAsync();
        await using var third = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.LimitedEndpoint));
        await WaitUntilOpensAsync(third);
    }

    [Fact]
    public async Task Psql_ReplicationConnection_IsRefusedWith42501()
    {
        var psql = Path.Combine(platform.Upstream.BinDirectory, "psql");
        var uri = platform.ProxyUri(PlatformFixture.TenantA) + "&replication=database";

        var (exitCode, output) = await ProcessRunner.RunAsync(psql, [uri, "-X", "-c", "IDENTIFY_SYSTEM"], false, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("replication connections are not allowed on endpoint 'acme-db'", output);
    }

    private static async Task WaitUntilOpensAsync(NpgsqlConnection connection)
    {
        // The proxy releases the slot when it sees the close, a moment after the client returns.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                await connection.OpenAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == "53300" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var all = new MemoryStream();
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    private async Task WaitUntilActiveAsync(string marker)
    {
        await using var direct = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(platform.Upstream.ConnectionString) { Pooling = false }.ConnectionString);
        await direct.OpenAsync();
        await using var probe = new NpgsqlCommand("select count(*) from pg_stat_activity where state = 'active' and query like '%' || @m || '%' and pid <> pg_backend_pid()", direct);
        probe.Parameters.AddWithValue("m", marker);
        await Eventually.TrueAsync(async () => (long)(await probe.ExecuteScalarAsync())! > 0, TimeSpan.FromSeconds(20), "the query starting on the server");
    }
}
