using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;

namespace Tenants.Edge.Tls;

/// <summary>
/// The client side of a proxied connection: the Kestrel transport at first, then the TLS session over it once the
/// client asked for one (SSLRequest or PostgreSQL 17 direct TLS). Remembers what TLS negotiated, for the session tags.
/// </summary>
internal sealed class ClientTransport(IDuplexPipe transport) : IAsyncDisposable
{
    /// <summary>The application protocol a PostgreSQL client offers with direct TLS.</summary>
    public static readonly SslApplicationProtocol PostgresAlpn = new("postgresql");

    private SslStream? _tls;

    /// <summary>Where protocol messages are read and written now.</summary>
    public IDuplexPipe Pipe { get; private set; } = transport;

    public bool IsTls => _tls is not null;

    /// <summary>The TLS server name (SNI) the client asked for, if any.</summary>
    public string? ServerName { get; private set; }

    /// <summary>e.g. <c>Tls13</c>.</summary>
    public string? TlsProtocol { get; private set; }

    /// <summary>e.g. <c>TLS_AES_256_GCM_SHA384</c>.</summary>
    public string? TlsCipher { get; private set; }

    /// <summary>Runs the TLS handshake as the server. Throws <see cref="AuthenticationException"/> if it fails.</summary>
    public async Task StartTlsAsync(EdgeCertificates certificates, bool requireAlpn, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new DuplexPipeStream(Pipe), leaveInnerStreamOpen: false);
        try
        {
            // Options per client hello: the certificate for its server name, sent with that certificate's intermediates.
            await tls.AuthenticateAsServerAsync(
                (_, hello, _, _) => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificates.Select(hello.ServerName),
                    ApplicationProtocols = [PostgresAlpn],
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                }),
                null,
                cancellationToken);

            if (requireAlpn && tls.NegotiatedApplicationProtocol != PostgresAlpn)
            {
                throw new AuthenticationException("direct TLS without the ALPN protocol 'postgresql'");
            }
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _tls = tls;
        ServerName = string.IsNullOrEmpty(tls.TargetHostName) ? null : tls.TargetHostName;
        TlsProtocol = tls.SslProtocol.ToString();
        TlsCipher = tls.NegotiatedCipherSuite.ToString();
        Pipe = new StreamDuplexPipe(PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await Pipe.Input.CompleteAsync();
            await Pipe.Output.CompleteAsync();
            await _tls.DisposeAsync();
        }
    }
}
