using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tenants.Abstractions.Tenancy;
using Tenants.Abstractions.Webhooks;

namespace Tenants.Api.Features.Endpoints.Test;

/// <summary>
/// Tests an endpoint's upstream from this API node, step by step: name lookup, TCP connect, TLS as the endpoint asks
/// (verify-full checks the chain to the endpoint's CA, or the system's, and the host name), and, with credentials, a
/// real login and <c>select version()</c>. The first failing step ends the test and says why.
/// </summary>
internal sealed partial class ConnectionTester(IOptions<ConnectionTestOptions> options, ILogger<ConnectionTester> logger)
{
    private const int SslRequestCode = 80877103;

    public async Task<ConnectionTestResponse> RunAsync(EndpointSettings settings, string? user, string? password, CancellationToken cancellationToken)
    {
        var run = new Run(user is not null && password is not null);
        try
        {
            await RunStepsAsync(run, settings, user, password, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A step's own deadline; the step has been recorded.
        }

        LogTested(settings.Id, run.Failed?.Name ?? "none", run.Failed?.Error ?? string.Empty);
        return new ConnectionTestResponse
        {
            Ok = run.Failed is null,
            FailedStep = run.Failed?.Name,
            Error = run.Failed?.Error,
            SqlState = run.Failed?.SqlState,
            ServerVersion = run.ServerVersion,
            LoginTried = run.LoginTried,
            Steps = run.Steps,
        };
    }

    private async Task RunStepsAsync(Run run, EndpointSettings settings, string? user, string? password, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var addresses = await run.StepAsync("dns", o.ConnectTimeout, async ct =>
        {
            var found = IPAddress.TryParse(settings.UpstreamHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(settings.UpstreamHost, ct);
            if (found.FirstOrDefault(a => WebhookAddressRules.Classify(a) == WebhookAddressClass.Forbidden) is { } forbidden)
            {
                // The SSRF guard: the test runs from an API node, which must not become a probe of its own network.
                throw new ForbiddenAddressException(
                    $"'{settings.UpstreamHost}' resolves to {forbidden}, a link-local, cloud metadata or reserved address, which the platform never connects to");
            }

            return (found, string.Join(", ", found.Select(a => a.ToString())));
        }, ex => ex switch
        {
            ForbiddenAddressException f => f.Message,
            SocketException => $"the name '{settings.UpstreamHost}' does not resolve ({((SocketException)ex).SocketErrorCode})",
            OperationCanceledException => $"looking up '{settings.UpstreamHost}' took longer than {o.ConnectTimeout.TotalSeconds:0.#} s",
            _ => null,
        }, cancellationToken);
        if (addresses is null)
        {
            return;
        }

        using var socket = await run.StepAsync("tcp", o.ConnectTimeout, async ct =>
        {
            var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await s.ConnectAsync(addresses, settings.UpstreamPort, ct);
                return (s, $"connected to {s.RemoteEndPoint}");
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }, ex => ex switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"connection refused by {settings.UpstreamHost}:{settings.UpstreamPort}: nothing listens there",
            SocketException s => $"cannot connect to {settings.UpstreamHost}:{settings.UpstreamPort} ({s.SocketErrorCode})",
            OperationCanceledException => $"no answer from {settings.UpstreamHost}:{settings.UpstreamPort} within {o.ConnectTimeout.TotalSeconds:0.#} s (a firewall may drop the packets)",
            _ => null,
        }, cancellationToken);
        if (socket is null)
        {
            return;
        }

        if (settings.TlsMode != EndpointTlsMode.Disable)
        {
            await using var tls = await run.StepAsync("tls", o.LoginTimeout, ct => HandshakeAsync(socket, settings, ct), ex => ex switch
            {
                AuthenticationException a => $"TLS handshake failed: {a.Message}" + (a.InnerException is { } inner ? $" ({inner.Message})" : string.Empty),
                NoTlsException n => n.Message,
                IOException io => $"the server closed the connection during the TLS handshake ({io.Message})",
                CryptographicException c => $"the endpoint's CA certificate cannot be read ({c.Message})",
                OperationCanceledException => $"the TLS handshake took longer than {o.LoginTimeout.TotalSeconds:0.#} s",
                _ => null,
            }, cancellationToken);
            if (tls is null)
            {
                return;
            }
        }

        if (!run.LoginTried)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = settings.UpstreamHost,
            Port = settings.UpstreamPort,
            Database = settings.DefaultDatabase ?? user,
            Username = user,
            Password = password,
            // The certificate was checked in the tls step; here TLS only has to be on.
            SslMode = settings.TlsMode == EndpointTlsMode.Disable ? SslMode.Disable : SslMode.Require,
            Timeout = (int)Math.Ceiling(o.LoginTimeout.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(o.LoginTimeout.TotalSeconds),
            Pooling = false,
            ApplicationName = "tenants-connection-test",
        };
        await using var connection = await run.StepAsync("login", o.LoginTimeout, async ct =>
        {
            var c = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await c.OpenAsync(ct);
                return (c, $"logged in as {user} to database {c.Database}");
            }
            catch
            {
                await c.DisposeAsync();
                throw;
            }
        }, Describe, cancellationToken);
        if (connection is null)
        {
            return;
        }

        run.ServerVersion = await run.StepAsync("query", o.LoginTimeout, async ct =>
        {
            await using var command = new NpgsqlCommand("select version()", connection);
            var version = (string?)await command.ExecuteScalarAsync(ct) ?? string.Empty;
            return (version, version);
        }, Describe, cancellationToken);
    }

    private static string? Describe(Exception ex) => ex switch
    {
        PostgresException p => $"the server refused: {p.MessageText} (SQLSTATE {p.SqlState})",
        NpgsqlException { InnerException: TimeoutException } or OperationCanceledException or TimeoutException => "the server did not answer in time",
        NpgsqlException n => $"{n.Message}{(n.InnerException is { } inner ? $" ({inner.Message})" : string.Empty)}",
        _ => null,
    };

    private static async Task<(SslStream, string)> HandshakeAsync(Socket socket, EndpointSettings settings, CancellationToken cancellationToken)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        var request = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, 8);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
        await stream.WriteAsync(request, cancellationToken);
        var answer = new byte[1];
        if (await stream.ReadAsync(answer, cancellationToken) != 1 || answer[0] != (byte)'S')
        {
            throw new NoTlsException($"the server does not accept TLS (it answered the SSLRequest with '{(char)answer[0]}'), and the endpoint's TLS mode is {EndpointSettingsMapper.TlsName(settings.TlsMode)}");
        }

        using var authority = settings.CaCertificatePem is null ? null : X509Certificate2.CreateFromPem(settings.CaCertificatePem);
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        string? refusal = null;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = settings.UpstreamHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    refusal = Verify(settings.TlsMode, certificate, errors, authority);
                    return refusal is null;
                },
            }, cancellationToken);
        }
        catch (AuthenticationException ex) when (refusal is not null)
        {
            await tls.DisposeAsync();
            throw new AuthenticationException(refusal, ex);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return (tls, $"{tls.SslProtocol}, {tls.NegotiatedCipherSuite}, certificate {tls.RemoteCertificate?.Subject}");
    }

    /// <summary>Null when the certificate is acceptable for the mode; otherwise why not.</summary>
    private static string? Verify(EndpointTlsMode mode, X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? authority)
    {
        if (mode == EndpointTlsMode.Require)
        {
            return null; // require: encrypted, not authenticated (libpq's sslmode=require)
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "the server's certificate does not name the upstream host (verify-full)";
        }

        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        if (authority is null)
        {
            return errors == SslPolicyErrors.None ? null : $"the server's certificate is not trusted by this node's system CAs ({errors})";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf) ? null : "the server's certificate does not chain to the endpoint's CA certificate (verify-full)";
    }

    [LoggerMessage(EventId = 3310, EventName = "ApiConnectionTested", Level = LogLevel.Information,
        Message = "Connection test of endpoint {EndpointId}: failed step {FailedStep} {Error}")]
    private partial void LogTested(string endpointId, string failedStep, string error);

    /// <summary>The server answered the SSLRequest with 'N'.</summary>
    private sealed class NoTlsException(string message) : Exception(message);

    /// <summary>The host resolves to an address the platform never connects to.</summary>
    private sealed class ForbiddenAddressException(string message) : Exception(message);

    /// <summary>The steps so far, the first failure, and what the query returned.</summary>
    private sealed class Run(bool loginTried)
    {
        public List<ConnectionTestStep> Steps { get; } = [];

        public ConnectionTestStep? Failed { get; private set; }

        public bool LoginTried { get; } = loginTried;

        public string? ServerVersion { get; set; }

        /// <summary>
        /// Runs one step within its deadline and records it. An exception <paramref name="describe"/> knows ends the
        /// test (the step fails and null is returned); any other is a bug and propagates.
        /// </summary>
        public async Task<T?> StepAsync<T>(string name, TimeSpan timeout,
            Func<CancellationToken, Task<(T Value, string Detail)>> step, Func<Exception, string?> describe, CancellationToken cancellationToken)
            where T : class
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var clock = Stopwatch.StartNew();
            try
            {
                var (value, detail) = await step(deadline.Token);
                Steps.Add(new ConnectionTestStep { Name = name, Ok = true, DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1), Detail = detail });
                return value;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && describe(ex) is { } error)
            {
                Failed = new ConnectionTestStep
                {
                    Name = name,
                    Ok = false,
                    DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
                    Error = error,
                    SqlState = (ex as PostgresException)?.SqlState,
                };
                Steps.Add(Failed);
                return null;
            }
        }
    }
}
