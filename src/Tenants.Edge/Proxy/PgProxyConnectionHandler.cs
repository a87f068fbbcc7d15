using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Secrets;
using Tenants.Edge.Broker;
using Tenants.Edge.Audit;
using Tenants.Edge.Endpoints;
using Tenants.Edge.Policy;
using Tenants.Edge.Tls;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// One client connection: negotiates the startup phase (TLS included), resolves the endpoint, opens the upstream
/// connection and relays both directions through <see cref="MessagePump"/>s while a <see cref="ProxySession"/>
/// records what passes.
/// </summary>
internal sealed partial class PgProxyConnectionHandler(
    EndpointResolver resolver,
    IAuditEventSink sink,
    CancelKeyRegistry cancelKeys,
    EndpointConnectionLimiter limiter,
    EdgeCertificates certificates,
    IHostApplicationLifetime lifetime,
    IOptionsMonitor<EdgeOptions> options,
    TimeProvider time,
    ILogger<PgProxyConnectionHandler> logger,
    IPersonAuthenticator? persons = null,
    CredentialProtector? credentials = null,
    IEdgePolicyProvider? policies = null,
    PolicySessionLimiter? policyLimiter = null) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = options.CurrentValue;
        var closed = connection.ConnectionClosed;
        await using var client = new ClientTransport(connection.Transport);
        try
        {
            var startup = await NegotiateAsync(client, settings, closed);
            if (startup is null)
            {
                return;
            }

            var localPort = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
            var resolution = await resolver.ResolveAsync(startup, localPort, client.ServerName, closed);
            if (!resolution.Succeeded)
            {
                LogRefused(connection.RemoteEndPoint?.ToString(), resolution.Message);
                await FailAsync(client.Pipe.Output, resolution.SqlState!, resolution.Message!, resolution.Hint);
                return;
            }

            await ProxyAsync(connection, client, startup, resolution, settings, closed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            // A bug: say so to this client, keep the node serving everyone else.
            LogUnexpected(ex, connection.RemoteEndPoint?.ToString());
            await FailAsync(client.Pipe.Output, PostgresErrorCodes.InternalError, "internal error in the audit proxy; the incident is logged");
        }
    }

    private async Task ProxyAsync(ConnectionContext connection, ClientTransport client, StartupPacket startup, EndpointResolution resolution, EdgeOptions settings, CancellationToken closed)
    {
        var endpoint = resolution.Endpoint!;
        SessionTags tags = new()
        {
            SessionId = Ulid.New(time.GetUtcNow()),
            TenantId = endpoint.TenantId,
            EndpointId = endpoint.Id,
            ProxyNode = settings.NodeName,
            ClientAddress = connection.RemoteEndPoint?.ToString(),
            DatabaseUser = Parameter(resolution, "user"),
            Database = Parameter(resolution, "database") ?? Parameter(resolution, "user"),
            ApplicationName = Parameter(resolution, "application_name"),
            TlsProtocol = client.TlsProtocol,
            TlsCipher = client.TlsCipher,
            ServerName = client.ServerName,
        };
        string? brokeredPassword = null;
        if (endpoint.Broker is not null)
        {
            if (await SignInAsync(connection, client, endpoint, tags, settings, closed) is not { } signedIn)
            {
                return;
            }

            (tags, brokeredPassword) = signedIn;
        }

        using var session = new ProxySession(tags, sink, time, cancelKeys, new CancelTarget(endpoint.UpstreamHost, endpoint.UpstreamPort), endpoint.Durability);

        if (IsReplication(startup) && !endpoint.AllowReplication)
        {
            await RefuseAsync(client, session, PostgresErrorCodes.InsufficientPrivilege,
                $"replication connections are not allowed on endpoint '{endpoint.Id}'",
                "An owner or admin of the tenant can allow replication on the endpoint.");
            return;
        }

        using var slot = limiter.TryAcquire(endpoint);
        if (slot is null)
        {
            await RefuseAsync(client, session, PostgresErrorCodes.TooManyConnections,
                $"too many connections to endpoint '{endpoint.Id}' (limit {endpoint.MaxConnections})",
                "Close idle connections or ask an admin of the tenant to raise the endpoint's connection limit.");
            return;
        }

        var (admitted, policyLease) = await GovernAsync(client, session, tags, closed);
        using var lease = policyLease;
        if (!admitted)
        {
            return;
        }

        UpstreamConnection connectionToServer;
        try
        {
            connectionToServer = await ConnectUpstreamAsync(endpoint, settings, closed);
        }
        catch (UpstreamUnavailableException ex)
        {
            LogUpstreamUnavailable(endpoint.Id, endpoint.UpstreamHost, endpoint.UpstreamPort, ex.Message);
            await RefuseAsync(client, session, PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection,
                $"could not connect to the database of endpoint '{endpoint.Id}' at {endpoint.UpstreamHost}:{endpoint.UpstreamPort}: {ex.Message}",
                "Check that the database is running and reachable from the proxy, and the endpoint's TLS settings.");
            return;
        }

        await using var server = connectionToServer;
        var upstream = new StreamDuplexPipe(
            PipeReader.Create(server.Stream, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(server.Stream, new StreamPipeWriterOptions(leaveOpen: true)));
        // Masking's catalog lookups: written only while the client waits for a ReadyForQuery the session holds back.
        session.SendUpstream = bytes => server.Stream.Write(bytes.Span);
        var clientPump = new MessagePump(client.Pipe.Input, upstream.Output, session.Client, settings.MaxMessageSize, settings.MaxCapturedSqlBytes);
        var serverPump = new MessagePump(upstream.Input, client.Pipe.Output, session.Server, settings.MaxMessageSize, settings.MaxCapturedSqlBytes);
        string? reason = null;
        try
        {
            var parameters = endpoint.Broker is not null ? Brokered(resolution.UpstreamParameters, endpoint) : resolution.UpstreamParameters;
            StartupMessageWriter.Write(upstream.Output, startup.ProtocolVersion, parameters);
            await upstream.Output.FlushAsync(closed);
            session.Emit(AuditEventKind.ConnectionAccepted);
            LogSessionStarted(tags.SessionId, tags.TenantId, tags.EndpointId);
            if (brokeredPassword is not null && !await LogInUpstreamAsync(client, upstream, session, endpoint, brokeredPassword, settings, closed))
            {
                return;
            }

            reason = await RelayAsync(client.Pipe, server.Socket, clientPump, serverPump, settings);
        }
        finally
        {
            // The session's last event comes first: completing a pipe may throw (bytes left by a cancelled flush on
            // a socket already shut down), and nothing may keep the session-end event from being recorded.
            session.End(clientPump.Bytes, serverPump.Bytes, reason);
            LogSessionEnded(tags.SessionId, clientPump.Bytes, serverPump.Bytes);
            await CompleteQuietlyAsync(upstream);
        }
    }

    private static async Task<UpstreamConnection> ConnectUpstreamAsync(EdgeEndpointOptions endpoint, EdgeOptions settings, CancellationToken closed)
    {
        using var activity = EdgeActivitySource.Source.StartActivity("upstream connect", ActivityKind.Client);
        activity?.SetTag("tenants.tenant_id", endpoint.TenantId);
        activity?.SetTag("tenants.endpoint_id", endpoint.Id);
        activity?.SetTag("server.address", endpoint.UpstreamHost);
        activity?.SetTag("server.port", endpoint.UpstreamPort);
        try
        {
            return await UpstreamConnector.ConnectAsync(endpoint, settings.UpstreamConnectTimeout, closed);
        }
        catch (UpstreamUnavailableException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private static async Task CompleteQuietlyAsync(StreamDuplexPipe pipe)
    {
        try
        {
            await pipe.Input.CompleteAsync();
            await pipe.Output.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is gone; there is nothing left to flush to.
        }
    }

    private static bool IsReplication(StartupPacket startup) =>
        startup.GetParameter("replication")?.ToLowerInvariant() is "true" or "on" or "yes" or "1" or "database";

    private static async Task RefuseAsync(ClientTransport client, ProxySession session, string sqlState, string message, string hint)
    {
        session.Emit(AuditEventKind.ConnectionRefused, e => e with { SqlState = sqlState, Message = message });
        await FailAsync(client.Pipe.Output, sqlState, message, hint);
    }

    private static string? Parameter(EndpointResolution resolution, string name) =>
        resolution.UpstreamParameters.FirstOrDefault(p => p.Key == name).Value is { } raw ? StartupPacket.Text(raw) : null;

    private static async Task FailAsync(PipeWriter output, string sqlState, string message, string? hint = null)
    {
        try
        {
            ErrorResponseWriter.Write(output, "FATAL", sqlState, message, hint);
            await output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException)
        {
            // The client is already gone.
        }
    }
}
