using System.Net.Sockets;

namespace Tenants.Edge.Proxy;

/// <summary>An open connection to an endpoint's database: the socket (for half-close) and the stream to speak on.</summary>
internal sealed class UpstreamConnection(Socket socket, Stream stream) : IAsyncDisposable
{
    public Socket Socket { get; } = socket;

    public Stream Stream { get; } = stream;

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        Socket.Dispose();
    }
}
