using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Tenants.PgWire;

namespace Tenants.Testing;

/// <summary>
/// A client that speaks the PostgreSQL protocol by hand, for tests that need to send exactly these bytes (valid or
/// not) and see exactly what comes back. Every read has a deadline.
/// </summary>
public sealed class PgRawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private PgRawClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>Opens a TCP connection to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<PgRawClient> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new PgRawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends bytes (messages, or anything else) in one write.</summary>
    public async Task SendAsync(params byte[][] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var bytes = messages.Length == 1 ? messages[0] : PgBackendMessages.Concat(messages);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the sending side (FIN), as a client does that has nothing more to say; reading goes on.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Reads the next typed message; null when the server closed the connection at a message boundary. Throws
    /// <see cref="TimeoutException"/> when nothing complete arrives in time, <see cref="EndOfStreamException"/> when the
    /// connection ends inside a message, and <see cref="InvalidDataException"/> for a length below 4.
    /// </summary>
    public async Task<PgMessage?> ReadMessageAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (MessageHeader.TryPeek(buffer, out var header))
                {
                    if (header.Length < 4)
                    {
                        _input.AdvanceTo(buffer.Start, buffer.End);
                        throw new InvalidDataException($"invalid message length {header.Length} (code {(char)header.Code})");
                    }

                    if (buffer.Length >= header.TotalLength)
                    {
                        var message = new PgMessage(header.Code, buffer.Slice(MessageHeader.Size, header.BodyLength).ToArray());
                        _input.AdvanceTo(buffer.GetPosition(header.TotalLength));
                        return message;
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return buffer.IsEmpty ? null : throw new EndOfStreamException($"the connection ended inside a message ({buffer.Length} bytes left)");
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete message within {timeout.TotalSeconds:0.##} s");
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new EndOfStreamException("the connection was reset", ex);
        }
    }

    /// <summary>Reads messages up to and including the first with code <paramref name="kind"/>.</summary>
    public async Task<IReadOnlyList<PgMessage>> ReadUntilAsync(char kind, TimeSpan timeout)
    {
        var messages = new List<PgMessage>();
        using var deadline = new CancellationTokenSource(timeout);
        var start = DateTime.UtcNow;
        while (true)
        {
            var left = timeout - (DateTime.UtcNow - start);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no '{kind}' within {timeout.TotalSeconds:0.##} s; got: {string.Join(", ", messages)}");
            }

            var message = await ReadMessageAsync(left).ConfigureAwait(false)
                ?? throw new EndOfStreamException($"the connection closed before '{kind}'; got: {string.Join(", ", messages)}");
            messages.Add(message);
            if (message.Kind == kind)
            {
                return messages;
            }
        }
    }

    /// <summary>
    /// Reads every byte until the other side closes, and says whether it closed in time (false: still open at the
    /// deadline) and whether it reset the connection rather than closing it.
    /// </summary>
    public async Task<(byte[] Bytes, bool Closed, bool Reset)> ReadToEndAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var bytes = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(deadline.Token).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    bytes.Write(segment.Span);
                }

                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return (bytes.WrittenSpan.ToArray(), true, false);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (bytes.WrittenSpan.ToArray(), false, false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return (bytes.WrittenSpan.ToArray(), true, true);
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes, or fewer if the connection ends first; throws
    /// <see cref="TimeoutException"/> when they do not arrive in time.
    /// </summary>
    public async Task<byte[]> ReadBytesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(deadline.Token).ConfigureAwait(false);
                if (result.Buffer.Length >= count || result.IsCompleted)
                {
                    var take = result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length));
                    var bytes = take.ToArray();
                    _input.AdvanceTo(take.End);
                    return bytes;
                }

                _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"fewer than {count} bytes within {timeout.TotalSeconds:0.##} s");
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new EndOfStreamException("the connection was reset", ex);
        }
    }

    /// <summary>Sends a StartupMessage with these parameters and reads the answer up to ReadyForQuery or ErrorResponse.</summary>
    public async Task<IReadOnlyList<PgMessage>> StartAsync(TimeSpan timeout, params (string Name, string Value)[] parameters)
    {
        await SendAsync(PgFrontendMessages.Startup(parameters)).ConfigureAwait(false);
        var messages = new List<PgMessage>();
        var start = DateTime.UtcNow;
        while (true)
        {
            var message = await ReadMessageAsync(timeout - (DateTime.UtcNow - start)).ConfigureAwait(false)
                ?? throw new EndOfStreamException($"the connection closed during login; got: {string.Join(", ", messages)}");
            messages.Add(message);
            if (message.Kind is 'Z' or 'E')
            {
                return messages;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
