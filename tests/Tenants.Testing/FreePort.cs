using System.Net;
using System.Net.Sockets;

namespace Tenants.Testing;

/// <summary>Finds TCP ports on the loopback interface that nothing is listening on right now.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a port the operating system just handed out for 127.0.0.1. The port is released before this returns,
    /// so another process can take it first: callers retry on "address in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until something accepts TCP connections on <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <returns><see langword="true"/> when a connection succeeded before <paramref name="timeout"/>.</returns>
    public static async Task<bool> WaitUntilListeningAsync(string host, int port, TimeSpan timeout, Func<bool>? giveUp = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(20);
        while (!deadline.IsCancellationRequested)
        {
            if (giveUp?.Invoke() == true)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
