using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Broker;

/// <summary>
/// Logs in to the upstream server with an endpoint's stored credential, after the startup message went out: answers
/// a password request in clear, MD5 or SCRAM-SHA-256 (what PostgreSQL asks for with <c>password</c>, <c>md5</c> and
/// <c>scram-sha-256</c> in pg_hba.conf), and stops at AuthenticationOk, which it leaves unread so the relay forwards
/// it to the client like the rest of the login (parameters, backend key, ReadyForQuery). NegotiateProtocolVersion
/// and notices that come first are passed to the client at once.
/// </summary>
internal static class UpstreamLogin
{
    /// <summary>Largest message accepted during the exchange.</summary>
    private const int MaxLoginMessage = 64 * 1024;

    /// <exception cref="UpstreamLoginException">The server refused the credential, or asked for something the proxy cannot answer.</exception>
    public static async Task LoginAsync(IDuplexPipe upstream, PipeWriter client, string user, string password, CancellationToken cancellationToken)
    {
        ScramSha256Client? scram = null;
        while (true)
        {
            var peeked = await LoginMessages.PeekAsync(upstream.Input, MaxLoginMessage, cancellationToken)
                ?? throw new UpstreamLoginException("the database closed the connection during login");
            var (code, body) = peeked;
            if (code == BackendMessageCode.Authentication && body.Length >= 4 && BinaryPrimitives.ReadInt32BigEndian(body) == AuthenticationMessage.Ok)
            {
                if (scram is not null && !scram.Verified)
                {
                    throw new UpstreamLoginException("the database accepted the login without proving it knows the password (no SCRAM final message)");
                }

                return;
            }

            await LoginMessages.ReadAsync(upstream.Input, MaxLoginMessage, cancellationToken);
            switch (code)
            {
                case BackendMessageCode.Authentication when body.Length >= 4:
                    scram = Answer(upstream.Output, BinaryPrimitives.ReadInt32BigEndian(body), body.AsSpan(4), user, password, scram);
                    await upstream.Output.FlushAsync(cancellationToken);
                    break;
                case BackendMessageCode.ErrorResponse:
                    throw ErrorResponseMessage.TryParse(new(body), out var error)
                        ? new UpstreamLoginException(error.Message, error.SqlState)
                        : new UpstreamLoginException("the database refused the login");
                case BackendMessageCode.NegotiateProtocolVersion or BackendMessageCode.NoticeResponse:
                    LoginMessages.Write(client, code, body);
                    await client.FlushAsync(cancellationToken);
                    break;
                default:
                    throw new UpstreamLoginException($"the database sent message '{(char)code}' during login", PostgresErrorCodes.ProtocolViolation);
            }
        }
    }

    private static ScramSha256Client? Answer(PipeWriter output, int request, ReadOnlySpan<byte> data, string user, string password, ScramSha256Client? scram)
    {
        switch (request)
        {
            case AuthenticationMessage.CleartextPassword:
                LoginMessages.Write(output, (byte)'p', CString(password));
                return scram;
            case AuthenticationMessage.Md5Password when data.Length >= 4:
                // md5 + hex(md5(hex(md5(password + user)) + salt)), as libpq computes it: the server's choice, not ours.
#pragma warning disable CA5351 // PostgreSQL's md5 method is defined with MD5.
                var inner = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + user)));
                var outer = Convert.ToHexStringLower(MD5.HashData([.. Encoding.ASCII.GetBytes(inner), .. data[..4]]));
#pragma warning restore CA5351
                LoginMessages.Write(output, (byte)'p', CString("md5" + outer));
                return scram;
            case AuthenticationMessage.Sasl:
                var mechanisms = Mechanisms(data);
                if (!mechanisms.Contains(ScramSha256Client.Mechanism))
                {
                    throw new UpstreamLoginException($"the database offers only {string.Join(", ", mechanisms)}; the proxy logs in with SCRAM-SHA-256, MD5 or a password");
                }

                var client = new ScramSha256Client(password);
                var first = client.First();
                LoginMessages.Write(output, (byte)'p', CString(ScramSha256Client.Mechanism), LoginMessages.Int32(first.Length), first);
                return client;
            case AuthenticationMessage.SaslContinue when scram is not null:
                LoginMessages.Write(output, (byte)'p', scram.Final(data));
                return scram;
            case AuthenticationMessage.SaslFinal when scram is not null:
                scram.Verify(data);
                return scram;
            default:
                throw new UpstreamLoginException($"the database asks for authentication method {request}, which the proxy cannot answer with a stored credential");
        }
    }

    private static byte[] CString(string value) => [.. Encoding.UTF8.GetBytes(value), 0];

    private static List<string> Mechanisms(ReadOnlySpan<byte> data)
    {
        var mechanisms = new List<string>();
        while (data.Length > 0)
        {
            var end = data.IndexOf((byte)0);
            if (end <= 0)
            {
                break;
            }

            mechanisms.Add(Encoding.UTF8.GetString(data[..end]));
            data = data[(end + 1)..];
        }

        return mechanisms;
    }
}
