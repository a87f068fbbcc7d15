using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;
using Tenants.Edge.Endpoints;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// One client connection: negotiates the startup phase, resolves the endpoint, opens the upstream connection and
/// relays both directions through <see cref="MessagePump"/>s while a <see cref="ProxySession"/> records what passes.
/// </summary>
internal sealed partial class PgProxyConnectionHandler(
    EndpointResolver resolver,
    IAuditEventSink sink,
    CancelKeyRegistry cancelKeys,
    IOptionsMonitor<EdgeOptions> options,
    TimeProvider time,
    ILogger<PgProxyConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = options.CurrentValue;
        var client = connection.Transport;
        var closed = connection.ConnectionClosed;
        try
        {
            var startup = await NegotiateAsync(client, settings, closed);
            if (startup is null)
            {
                return;
            }

            var localPort = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
            var resolution = resolver.Resolve(startup, localPort);
            if (!resolution.Succeeded)
            {
                LogRefused(connection.RemoteEndPoint?.ToString(), resolution.Message);
                await FailAsync(client.Output, resolution.SqlState!, resolution.Message!, resolution.Hint);
                return;
            }

            await ProxyAsync(connection, startup, resolution, settings, closed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client went away.
        }
    }

    private async Task<StartupPacket?> NegotiateAsync(IDuplexPipe client, EdgeOptions settings, CancellationToken closed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed);
        timeout.CancelAfter(settings.StartupTimeout);
        try
        {
            while (true)
            {
                var result = await client.Input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                StartupParseStatus status;
                StartupPacket? packet;
                var consumed = buffer.Start;
                try
                {
                    var reader = new SequenceReader<byte>(buffer);
                    status = StartupPacketReader.TryRead(ref reader, out packet);
                    if (status == StartupParseStatus.Complete)
                    {
                        consumed = reader.Position;
                    }
                }
                finally
                {
                    client.Input.AdvanceTo(consumed, buffer.End);
                }

                if (status == StartupParseStatus.NeedMoreData)
                {
                    if (result.IsCompleted)
                    {
                        return null;
                    }

                    continue;
                }

                if (status == StartupParseStatus.Invalid)
                {
                    await FailAsync(client.Output, PostgresErrorCodes.ProtocolViolation, packet!.Error!);
                    return null;
                }

                switch (packet!.Kind)
                {
                    case StartupPacketKind.SslRequest:
                    case StartupPacketKind.GssEncRequest:
                        // TLS termination comes with the endpoint certificates; until then the client goes on in
                        // plaintext or gives up, as with a server that has ssl=off.
                        client.Output.GetSpan(1)[0] = SingleByteResponse.Refuse;
                        client.Output.Advance(1);
                        await client.Output.FlushAsync(timeout.Token);
                        continue;
                    case StartupPacketKind.CancelRequest:
                        await ForwardCancelAsync(packet, settings, closed);
                        return null;
                    default:
                        return packet;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !closed.IsCancellationRequested)
        {
            await FailAsync(client.Output, PostgresErrorCodes.ProtocolViolation, "timeout waiting for the startup packet");
            return null;
        }
    }

    private async Task ProxyAsync(ConnectionContext connection, StartupPacket startup, EndpointResolution resolution, EdgeOptions settings, CancellationToken closed)
    {
        var endpoint = resolution.Endpoint!;
        var tags = new SessionTags
        {
            SessionId = Ulid.New(time.GetUtcNow()),
            TenantId = endpoint.TenantId,
            EndpointId = endpoint.Id,
            ProxyNode = settings.NodeName,
            ClientAddress = connection.RemoteEndPoint?.ToString(),
            DatabaseUser = Parameter(resolution, "user"),
            Database = Parameter(resolution, "database") ?? Parameter(resolution, "user"),
            ApplicationName = Parameter(resolution, "application_name"),
        };
        var session = new ProxySession(tags, sink, time, cancelKeys, new CancelTarget(endpoint.UpstreamHost, endpoint.UpstreamPort));

        Socket socket;
        try
        {
            socket = await ConnectAsync(endpoint.UpstreamHost, endpoint.UpstreamPort, settings.UpstreamConnectTimeout, closed);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !closed.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? "timed out" : ex.Message;
            var message = $"could not connect to the database of endpoint '{endpoint.Id}' at {endpoint.UpstreamHost}:{endpoint.UpstreamPort}: {why}";
            LogUpstreamUnavailable(endpoint.Id, endpoint.UpstreamHost, endpoint.UpstreamPort, why);
            session.Emit(AuditEventKind.ConnectionRefused, e => e with
            {
                SqlState = PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection,
                Message = message,
            });
            await FailAsync(connection.Transport.Output, PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection, message,
                "Check that the database is running and reachable from the proxy.");
            return;
        }

        using var ownedSocket = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var upstream = new DuplexPipe(
            PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
        var clientPump = new MessagePump(connection.Transport.Input, upstream.Output, session.Client, settings.MaxMessageSize, settings.MaxCapturedSqlBytes);
        var serverPump = new MessagePump(upstream.Input, connection.Transport.Output, session.Server, settings.MaxMessageSize, settings.MaxCapturedSqlBytes);
        string? reason = null;
        try
        {
            StartupMessageWriter.Write(upstream.Output, startup.ProtocolVersion, resolution.UpstreamParameters);
            await upstream.Output.FlushAsync(closed);
            session.Emit(AuditEventKind.ConnectionAccepted);
            LogSessionStarted(tags.SessionId, tags.TenantId, tags.EndpointId);
            reason = await RelayAsync(connection, socket, clientPump, serverPump, closed);
        }
        finally
        {
            await upstream.Input.CompleteAsync();
            await upstream.Output.CompleteAsync();
            session.End(clientPump.Bytes, serverPump.Bytes, reason);
            LogSessionEnded(tags.SessionId, clientPump.Bytes, serverPump.Bytes);
        }
    }

    /// <summary>Relays both directions until one side is done, then winds the other down; returns why, if abnormal.</summary>
    private static async Task<string?> RelayAsync(ConnectionContext connection, Socket upstream, MessagePump clientPump, MessagePump serverPump, CancellationToken closed)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(closed);
        var fromClient = clientPump.RunAsync(stop.Token);
        var fromServer = serverPump.RunAsync(stop.Token);
        try
        {
            if (await Task.WhenAny(fromClient, fromServer) == fromClient)
            {
                var result = await fromClient;
                if (result == PumpResult.ProtocolViolation)
                {
                    // Nothing of the bad message went upstream. Stop relaying, tell the client, close both sides.
                    await stop.CancelAsync();
                    await fromServer;
                    await FailAsync(connection.Transport.Output, PostgresErrorCodes.ProtocolViolation, $"invalid message length {clientPump.InvalidLength}");
                    return $"protocol violation by the client: invalid message length {clientPump.InvalidLength}";
                }

                // The client is done (Terminate, close or reset): let the server see end-of-stream and finish.
                ShutdownSend(upstream);
                if (await Task.WhenAny(fromServer, Task.Delay(TimeSpan.FromSeconds(5), closed)) != fromServer)
                {
                    await stop.CancelAsync();
                }

                await fromServer;
                return result == PumpResult.Completed ? null : $"client connection {Describe(result)}";
            }
            else
            {
                var result = await fromServer;
                await stop.CancelAsync();
                await fromClient;
                if (result == PumpResult.ProtocolViolation)
                {
                    await FailAsync(connection.Transport.Output, PostgresErrorCodes.ProtocolViolation, "the database server sent an invalid message");
                    return $"protocol violation by the server: invalid message length {serverPump.InvalidLength}";
                }

                return result == PumpResult.Completed ? null : $"server connection {Describe(result)}";
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(fromClient, fromServer);
        }
    }

    private static string Describe(PumpResult result) => result switch
    {
        PumpResult.Truncated => "closed in the middle of a message",
        PumpResult.Aborted => "reset",
        PumpResult.PeerClosed => "closed by the other side",
        PumpResult.Canceled => "stopped",
        _ => result.ToString().ToLowerInvariant(),
    };

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static string? Parameter(EndpointResolution resolution, string name) =>
        resolution.UpstreamParameters.FirstOrDefault(p => p.Key == name).Value;

    private static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ForwardCancelAsync(StartupPacket packet, EdgeOptions settings, CancellationToken cancellationToken)
    {
        var target = cancelKeys.Find(packet.CancelKey.Span);
        if (target is null)
        {
            // PostgreSQL answers nothing to an unknown key either: a cancel must not reveal which keys exist.
            return;
        }

        try
        {
            using var socket = await ConnectAsync(target.Host, target.Port, settings.UpstreamConnectTimeout, cancellationToken);
            var request = new byte[8 + packet.CancelKey.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(request, request.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), ProtocolCodes.CancelRequest);
            packet.CancelKey.Span.CopyTo(request.AsSpan(8));
            await socket.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            LogCancelFailed(target.Host, target.Port, ex.Message);
        }
    }

    private static async Task FailAsync(PipeWriter output, string sqlState, string message, string? hint = null)
    {
        try
        {
            ErrorResponseWriter.Write(output, "FATAL", sqlState, message, hint);
            await output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client is already gone.
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    [LoggerMessage(EventId = 1000, EventName = "ConnectionRefused", Level = LogLevel.Information,
        Message = "Refused a connection from {ClientAddress}: {Reason}")]
    private partial void LogRefused(string? clientAddress, string? reason);

    [LoggerMessage(EventId = 1001, EventName = "UpstreamUnavailable", Level = LogLevel.Warning,
        Message = "Endpoint {EndpointId}: cannot reach upstream {Host}:{Port}: {Reason}")]
    private partial void LogUpstreamUnavailable(string endpointId, string host, int port, string reason);

    [LoggerMessage(EventId = 1002, EventName = "SessionStarted", Level = LogLevel.Debug,
        Message = "Session {SessionId} started for tenant {TenantId} endpoint {EndpointId}")]
    private partial void LogSessionStarted(string sessionId, string tenantId, string endpointId);

    [LoggerMessage(EventId = 1003, EventName = "SessionEnded", Level = LogLevel.Debug,
        Message = "Session {SessionId} ended: {BytesFromClient} bytes from client, {BytesFromServer} from server")]
    private partial void LogSessionEnded(string sessionId, long bytesFromClient, long bytesFromServer);

    [LoggerMessage(EventId = 1004, EventName = "CancelForwardFailed", Level = LogLevel.Warning,
        Message = "Could not forward a cancel request to {Host}:{Port}: {Reason}")]
    private partial void LogCancelFailed(string host, int port, string reason);
}
