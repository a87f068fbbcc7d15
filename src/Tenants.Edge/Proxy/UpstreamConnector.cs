using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Opens the connection to an endpoint's database: TCP with a timeout, then TLS when the endpoint asks for it
/// (SSLRequest first, as libpq does). Failures become <see cref="UpstreamUnavailableException"/> with a reason a
/// user can act on.
/// </summary>
internal static class UpstreamConnector
{
    public static async Task<UpstreamConnection> ConnectAsync(EdgeEndpointOptions endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
            socket = await OpenSocketAsync(endpoint.UpstreamHost, endpoint.UpstreamPort, timeout, deadline.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (endpoint.UpstreamSslMode != UpstreamSslMode.Disable)
            {
                stream = await StartTlsAsync(stream, endpoint, deadline.Token);
            }

            return new UpstreamConnection(socket, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new UpstreamUnavailableException("timed out");
        }
        catch (Exception ex) when (ex is SocketException or AuthenticationException or IOException)
        {
            socket?.Dispose();
            throw new UpstreamUnavailableException(ex.Message, ex);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>A TCP connection (no delay) to <paramref name="host"/>, within <paramref name="timeout"/>; also used to forward cancel requests.</summary>
    public static async Task<Socket> OpenSocketAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Stream> StartTlsAsync(Stream stream, EdgeEndpointOptions endpoint, CancellationToken cancellationToken)
    {
        var request = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, 8);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), ProtocolCodes.SslRequest);
        await stream.WriteAsync(request, cancellationToken);
        var answer = new byte[1];
        if (await stream.ReadAsync(answer, cancellationToken) != 1 || answer[0] != SingleByteResponse.Accept)
        {
            throw new UpstreamUnavailableException("the server does not accept TLS, and the endpoint requires it");
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        using var authority = LoadAuthority(endpoint);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.UpstreamHost,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => endpoint.UpstreamSslMode switch
            {
                UpstreamSslMode.Require => true,
                _ when authority is null => errors == SslPolicyErrors.None,
                _ => ChainsTo(certificate, authority) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
            },
        }, cancellationToken);
        return tls;
    }

    private static X509Certificate2? LoadAuthority(EdgeEndpointOptions endpoint)
    {
        var path = endpoint.UpstreamCaCertificatePath;
        if (string.IsNullOrEmpty(endpoint.UpstreamCaCertificatePem) && string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(string.IsNullOrEmpty(endpoint.UpstreamCaCertificatePem) ? File.ReadAllText(path!) : endpoint.UpstreamCaCertificatePem);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new UpstreamUnavailableException($"cannot read the endpoint's CA certificate: {ex.Message}", ex);
        }
    }

    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2 authority)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
