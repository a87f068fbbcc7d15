using System.IO.Pipelines;
using System.Net.Sockets;
using Tenants.PgWire;

namespace Tenants.Edge.Proxy;

internal sealed partial class PgProxyConnectionHandler
{
    /// <summary>Relays both directions until one side is done, then winds the other down; returns why, if abnormal.</summary>
    /// <remarks>
    /// Not tied to the connection's closed token: Kestrel raises it on the client's FIN, and a client that half-closes
    /// after its last query must still get the answer. The pumps see a real close or reset by themselves.
    /// </remarks>
    private async Task<string?> RelayAsync(IDuplexPipe client, Socket upstream, MessagePump clientPump, MessagePump serverPump, EdgeOptions settings)
    {
        using var stop = new CancellationTokenSource();
        var fromClient = clientPump.RunAsync(stop.Token);
        var fromServer = serverPump.RunAsync(stop.Token);
        var watchdog = WatchAsync(clientPump, serverPump, settings, stop.Token);
        try
        {
            var done = await Task.WhenAny(fromClient, fromServer, watchdog);
            if (done == watchdog && await watchdog is { } ending)
            {
                await stop.CancelAsync();
                await Task.WhenAll(fromClient, fromServer);
                if (serverPump.AtMessageBoundary)
                {
                    await FailAsync(client.Output, ending.SqlState, ending.Message);
                }

                return ending.Message;
            }

            if (done == fromClient || (done == watchdog && fromClient.IsCompleted))
            {
                var result = await fromClient;
                if (result == PumpResult.ProtocolViolation)
                {
                    // Nothing of the bad message went upstream. Stop relaying, tell the client (unless a server message
                    // is half-forwarded, where an error would land inside it), close both sides.
                    await stop.CancelAsync();
                    await fromServer;
                    if (serverPump.AtMessageBoundary)
                    {
                        await FailAsync(client.Output, PostgresErrorCodes.ProtocolViolation, $"invalid message length {clientPump.InvalidLength}");
                    }

                    return $"protocol violation by the client: invalid message length {clientPump.InvalidLength}";
                }

                // The client is done (Terminate, close or reset): let the server see end-of-stream and finish.
                ShutdownSend(upstream);
                if (await Task.WhenAny(fromServer, Task.Delay(TimeSpan.FromSeconds(5), time, stop.Token)) != fromServer)
                {
                    await stop.CancelAsync();
                }

                await fromServer;
                return result == PumpResult.Completed ? null : $"client connection {Describe(result)}";
            }

            var serverResult = await fromServer;
            await stop.CancelAsync();
            await fromClient;
            if (serverResult == PumpResult.ProtocolViolation)
            {
                await FailAsync(client.Output, PostgresErrorCodes.ProtocolViolation, "the database server sent an invalid message");
                return $"protocol violation by the server: invalid message length {serverPump.InvalidLength}";
            }

            return serverResult == PumpResult.Completed ? null : $"server connection {Describe(serverResult)}";
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(fromClient, fromServer);
            await watchdog;
        }
    }

    /// <summary>
    /// Ends a session that has been idle longer than <see cref="EdgeOptions.IdleTimeout"/>, or that is still open
    /// <see cref="EdgeOptions.DrainTimeout"/> after the node began to shut down. Null when the session ended first.
    /// </summary>
    private async Task<(string SqlState, string Message)?> WatchAsync(MessagePump clientPump, MessagePump serverPump, EdgeOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            if (settings.IdleTimeout > TimeSpan.Zero)
            {
                var period = TimeSpan.FromTicks(Math.Min(settings.IdleTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks));
                using var timer = new PeriodicTimer(period, time);
                while (await timer.WaitForNextTickAsync(watch.Token))
                {
                    var quiet = System.Diagnostics.Stopwatch.GetElapsedTime(Math.Max(clientPump.LastActivity, serverPump.LastActivity));
                    if (quiet >= settings.IdleTimeout)
                    {
                        return (PostgresErrorCodes.IdleSessionTimeout,
                            $"terminating connection due to idle-session timeout ({settings.IdleTimeout.TotalSeconds:0.#} s at the audit proxy)");
                    }
                }
            }
            else
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, watch.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The node is shutting down: give the session time to finish, then end it with a message that says why.
            try
            {
                await Task.Delay(settings.DrainTimeout, time, cancellationToken);
                return (PostgresErrorCodes.AdminShutdown, "terminating connection because the audit proxy is shutting down; reconnect to continue");
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return null;
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
}
