using System.Net;
using System.Net.Sockets;

namespace Tenants.Testing;

/// <summary>Finds TCP ports on the loopback interface that nothing is listening on right now.</summary>
public static class FreePort
{
    // Ports are taken below the kernel's ephemeral range: a port from that range can be taken between the check and the
    // bind by any outgoing connection or port-0 listener on the machine (hundreds a second while pgbench runs), which is
    // how a Host once failed to bind its HTTP port. Below it, only another test picking the same port can collide.
    private const int Lowest = 10_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// Returns a port below the ephemeral range that nothing listens on right now and that this process has not handed
    /// out before. The port is released before this returns, so another process could still take it first.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            lock (Given)
            {
                if (!Given.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"no free port between {Lowest} and {Highest} after 1,000 tries");
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture) is var start and > Lowest + 1_000 ? start : 32_768;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
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
