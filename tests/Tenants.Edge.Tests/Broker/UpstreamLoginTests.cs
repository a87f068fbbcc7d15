using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Tenants.Edge.Broker;

namespace Tenants.Edge.Tests.Broker;

/// <summary>
/// The upstream side of a brokered login against a scripted server over in-memory pipes, for what a real PostgreSQL
/// does not do on demand (MD5 and password methods under one pg_hba, a server that cannot prove the password). SCRAM
/// against a real server is in <see cref="BrokeredLoginTests"/>.
/// </summary>
public sealed class UpstreamLoginTests
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();
    private readonly Pipe _toClient = new();

    private IDuplexPipe Upstream => new DuplexPipe(_fromServer.Reader, _toServer.Writer);

    [Fact]
    public async Task Md5_AnswersAsLibpqDoes_AndLeavesAuthenticationOkForTheRelay()
    {
        await ServerSendsAsync(Authentication(5, [1, 2, 3, 4]), Authentication(0));

        await UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "app_rw", "pw", CancellationToken.None);

        // md5(md5("pw" + "app_rw") in hex + salt) in hex, computed independently of the code under test.
        Assert.Equal(('p', "md5b04cff0b42fded039b55b93f0ae0d148\0"), await ClientSentAsync());
        Assert.Equal(Authentication(0), await UnreadAsync());
    }

    [Fact]
    public async Task Cleartext_SendsThePassword()
    {
        await ServerSendsAsync(Authentication(3), Authentication(0));

        await UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "app_rw", "pw", CancellationToken.None);

        Assert.Equal(('p', "pw\0"), await ClientSentAsync());
    }

    [Fact]
    public async Task UnsupportedMethod_FailsSayingWhich()
    {
        await ServerSendsAsync(Authentication(7));
        var gss = await Assert.ThrowsAsync<UpstreamLoginException>(() => UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "u", "pw", CancellationToken.None));

        Assert.Equal("the database asks for authentication method 7, which the proxy cannot answer with a stored credential", gss.Message);
    }

    [Fact]
    public async Task OnlyScramPlus_IsRefused_NamingWhatWasOffered()
    {
        await ServerSendsAsync(Authentication(10, [.. "SCRAM-SHA-256-PLUS"u8, 0, 0]));

        var error = await Assert.ThrowsAsync<UpstreamLoginException>(() => UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "u", "pw", CancellationToken.None));

        Assert.Equal("the database offers only SCRAM-SHA-256-PLUS; the proxy logs in with SCRAM-SHA-256, MD5 or a password", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Scram_AServerThatCannotProveThePassword_FailsTheLogin(bool sendsFinal)
    {
        var login = UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "u", "pw", CancellationToken.None);
        await ServerSendsAsync(Authentication(10, [.. "SCRAM-SHA-256"u8, 0, 0]));
        var (_, first) = await ClientSentAsync();
        var nonce = first[(first.IndexOf("r=", StringComparison.Ordinal) + 2)..];
        await ServerSendsAsync(Authentication(11, Encoding.UTF8.GetBytes($"r={nonce}server,s={Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))},i=4096")));
        var (_, final) = await ClientSentAsync();
        Assert.StartsWith($"c=biws,r={nonce}server,p=", final, StringComparison.Ordinal);
        await ServerSendsAsync(sendsFinal
            ? [.. Authentication(12, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(new byte[32]))), .. Authentication(0)]
            : Authentication(0));

        var error = await Assert.ThrowsAsync<UpstreamLoginException>(() => login);

        Assert.Equal(sendsFinal
            ? "the database's SCRAM signature does not match: it does not know this password"
            : "the database accepted the login without proving it knows the password (no SCRAM final message)", error.Message);
    }

    [Fact]
    public async Task NegotiateProtocolVersion_BeforeTheLogin_IsPassedToTheClient()
    {
        byte[] negotiate = [(byte)'v', 0, 0, 0, 12, 0, 3, 0, 0, 0, 0, 0, 0];
        await ServerSendsAsync([.. negotiate, .. Authentication(3)], Authentication(0));

        await UpstreamLogin.LoginAsync(Upstream, _toClient.Writer, "u", "pw", CancellationToken.None);
        await _toClient.Writer.CompleteAsync();
        var relayed = await _toClient.Reader.ReadAsync();

        Assert.Equal(negotiate, relayed.Buffer.ToArray());
    }

    private static byte[] Authentication(int code, byte[]? data = null)
    {
        data ??= [];
        var message = new byte[9 + data.Length];
        message[0] = (byte)'R';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 8 + data.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(5), code);
        data.CopyTo(message, 9);
        return message;
    }

    private async Task ServerSendsAsync(params byte[][] messages)
    {
        foreach (var message in messages)
        {
            await _fromServer.Writer.WriteAsync(message);
        }
    }

    /// <summary>The next message the proxy sent the server: its code and its body as text (SASL bodies without their header).</summary>
    private async Task<(char Code, string Body)> ClientSentAsync()
    {
        while (true)
        {
            var result = await _toServer.Reader.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.Length >= 5)
            {
                var header = buffer.Slice(0, 5).ToArray();
                var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
                if (buffer.Length >= 1 + length)
                {
                    var body = buffer.Slice(5, length - 4).ToArray();
                    _toServer.Reader.AdvanceTo(buffer.GetPosition(1 + length));
                    var text = Encoding.UTF8.GetString(body);
                    // SASLInitialResponse: mechanism\0, length, data.
                    var sasl = text.StartsWith("SCRAM-SHA-256\0", StringComparison.Ordinal) ? text[(14 + 4)..] : text;
                    return ((char)header[0], sasl);
                }
            }

            _toServer.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task<byte[]> UnreadAsync()
    {
        var result = await _fromServer.Reader.ReadAsync();
        var bytes = result.Buffer.ToArray();
        _fromServer.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
