using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tenants.Testing;

/// <summary>
/// Decides whether fixtures can use containers: a Docker CLI alone is not enough, an engine must answer
/// <c>GET /_ping</c> within about a second. Checked once per test process.
/// </summary>
internal static class DockerEngine
{
    private const string DefaultSocket = "/var/run/docker.sock";
    private static readonly TimeSpan _probeTimeout = TimeSpan.FromSeconds(1);
    private static readonly Lazy<Task<bool>> _available = new(ProbeAsync);

    public static Task<bool> IsAvailableAsync() => _available.Value;

    private static async Task<bool> ProbeAsync()
    {
        if (Environment.GetEnvironmentVariable("TENANTS_TESTS_NO_DOCKER") is "1" or "true")
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(_probeTimeout);
        try
        {
            using var socket = await ConnectAsync(Environment.GetEnvironmentVariable("DOCKER_HOST"), timeout.Token).ConfigureAwait(false);
            if (socket is null)
            {
                return false;
            }

            using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n");
            await stream.WriteAsync(request, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            var response = Encoding.ASCII.GetString(buffer, 0, read);
            return response.StartsWith("HTTP/1.", StringComparison.Ordinal) && response.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or UriFormatException)
        {
            return false;
        }
    }

    private static async Task<Socket?> ConnectAsync(string? dockerHost, CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint endPoint;
        if (string.IsNullOrEmpty(dockerHost) || dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = string.IsNullOrEmpty(dockerHost) ? DefaultSocket : dockerHost["unix://".Length..];
            if (!File.Exists(path))
            {
                return null;
            }

            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(path);
        }
        else if (dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var uri = new Uri(dockerHost);
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            endPoint = new DnsEndPoint(uri.Host, uri.Port);
        }
        else
        {
            return null;
        }

        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
