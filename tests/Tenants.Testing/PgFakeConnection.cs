using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Testing;

/// <summary>
/// One connection accepted by a <see cref="PgServerFake"/>: what the client sent (startup packet and typed
/// messages), and the means for a script to answer, misbehave or hang up.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim never creates its wait handle; the socket is disposed when the connection completes.")]
public sealed class PgFakeConnection
{
    /// <summary>Largest message the fake accepts before it calls the stream broken.</summary>
    public const int MaxMessageSize = 64 << 20;

    private readonly Socket _socket;
    private readonly PgFakeScript _script;
    private readonly Action<Exception> _fault;
    private readonly Action _serverChanged;
    private readonly CancellationToken _stopping;
    private readonly ConditionSignal _signal = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<PgMessage> _received = [];
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _peerClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StartupPacket? _startup;
    private byte[] _startupBytes = [];
    private int _sendClosed;
    private long _bytesReceived;

    internal PgFakeConnection(Socket socket, int index, PgFakeScript script, Action<Exception> fault, Action serverChanged, CancellationToken stopping)
    {
        _socket = socket;
        _script = script;
        _fault = fault;
        _serverChanged = serverChanged;
        _stopping = stopping;
        Index = index;
        RemoteEndPoint = socket.RemoteEndPoint;
        ProcessId = 10_000 + index;
        SecretKey = BinaryPrimitives.ReadInt32BigEndian(RandomNumberGenerator.GetBytes(4));
        Completion = RunAsync();
    }

    /// <summary>Position of this connection in the order the fake accepted them, from 0.</summary>
    public int Index { get; }

    /// <summary>The process id sent in BackendKeyData by <see cref="SendLoginAsync"/>.</summary>
    public int ProcessId { get; }

    /// <summary>The secret key sent in BackendKeyData by <see cref="SendLoginAsync"/>.</summary>
    public int SecretKey { get; }

    /// <summary>Process id and secret key as a CancelRequest quotes them.</summary>
    public byte[] CancelKey
    {
        get
        {
            var key = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(key, ProcessId);
            BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(4), SecretKey);
            return key;
        }
    }

    /// <summary>
    /// The first packet that was not an SSLRequest or GSSENCRequest: a StartupMessage or a CancelRequest (or an
    /// invalid packet, with its <see cref="StartupPacket.Error"/>); null until it is read.
    /// </summary>
    public StartupPacket? Startup
    {
        get
        {
            lock (_lock)
            {
                return _startup;
            }
        }
    }

    /// <summary>The startup packet exactly as received (length, code and rest), empty until it is read.</summary>
    public byte[] StartupBytes
    {
        get
        {
            lock (_lock)
            {
                return _startupBytes;
            }
        }
    }

    /// <summary>The client's address and port.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; }

    /// <summary>The value of a StartupMessage parameter, or null.</summary>
    public string? StartupParameter(string name) => Startup?.GetParameter(name);

    /// <summary>The typed messages received after the startup packet, in order.</summary>
    public IReadOnlyList<PgMessage> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Bytes received after the startup packet, an unfinished last message included.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Why the fake stopped reading the client's messages (a bad length), or null.</summary>
    public string? ProtocolError { get; private set; }

    /// <summary>Completes when the client closed its side of the connection, or reset it.</summary>
    public Task PeerClosed => _peerClosed.Task;

    /// <summary>Completes when the connection is over: the client is gone and the script has returned.</summary>
    public Task Completion { get; }

    /// <summary>Sends messages (or any bytes) in one write.</summary>
    public async Task SendAsync(params byte[][] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var bytes = messages.Length == 1 ? messages[0] : PgBackendMessages.Concat(messages);
        if (bytes.Length == 0)
        {
            return;
        }

        await _sendLock.WaitAsync(_stopping).ConfigureAwait(false);
        try
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, _stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// What a server sends after a trust login: AuthenticationOk, a few ParameterStatus, BackendKeyData
    /// (<see cref="ProcessId"/>, <see cref="SecretKey"/>) and ReadyForQuery.
    /// </summary>
    public Task SendLoginAsync() => SendAsync(LoginMessages());

    /// <summary>The messages <see cref="SendLoginAsync"/> sends, as one buffer.</summary>
    public byte[] LoginMessages() => PgBackendMessages.Concat(
        PgBackendMessages.AuthenticationOk(),
        PgBackendMessages.ParameterStatus("server_version", "15.0 (scripted fake)"),
        PgBackendMessages.ParameterStatus("server_encoding", "UTF8"),
        PgBackendMessages.ParameterStatus("client_encoding", "UTF8"),
        PgBackendMessages.ParameterStatus("DateStyle", "ISO, MDY"),
        PgBackendMessages.ParameterStatus("integer_datetimes", "on"),
        PgBackendMessages.ParameterStatus("standard_conforming_strings", "on"),
        PgBackendMessages.BackendKeyData(ProcessId, SecretKey),
        PgBackendMessages.ReadyForQuery());

    /// <summary>Closes the fake's sending side (FIN). Messages from the client are still read until it closes too.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _sendClosed, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Resets the connection (RST): the client sees "connection reset", not an orderly end.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _sendClosed, 1);
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Answers nothing more until the client closes the connection (or the fake is disposed).</summary>
    public async Task StallAsync()
    {
        try
        {
            await PeerClosed.WaitAsync(_stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits for a received message that matches <paramref name="predicate"/> and returns it.</summary>
    public Task<PgMessage> WaitForMessageAsync(Func<PgMessage, bool> predicate, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => Received.FirstOrDefault(predicate),
            timeout,
            () => $"connection {Index} received no such message; it received: {string.Join(", ", Received)}");

    /// <summary>Waits until at least <paramref name="count"/> messages were received, and returns them all.</summary>
    public Task<IReadOnlyList<PgMessage>> WaitForMessageCountAsync(int count, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => Received is { } received && received.Count >= count ? received : null,
            timeout,
            () => $"connection {Index} received {Received.Count} of {count} messages: {string.Join(", ", Received)}");

    /// <summary>Waits until at least <paramref name="count"/> bytes arrived after the startup packet.</summary>
    public Task WaitForBytesAsync(long count, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => BytesReceived >= count ? this : null,
            timeout,
            () => $"connection {Index} received {BytesReceived} of {count} bytes");

    /// <summary>Waits for the first received message with this code.</summary>
    public Task<PgMessage> WaitForMessageAsync(char kind, TimeSpan timeout) => WaitForMessageAsync(m => m.Kind == kind, timeout);

    /// <summary>Waits until the client closed its side of the connection.</summary>
    public async Task WaitForPeerCloseAsync(TimeSpan timeout)
    {
        try
        {
            await PeerClosed.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"connection {Index} is still open after {timeout.TotalSeconds:0.##} s; it received: {string.Join(", ", Received)}");
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        var dispatch = DispatchAsync();
        await using var stream = new NetworkStream(_socket, ownsSocket: false);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            if (await ReadStartupAsync(input).ConfigureAwait(false))
            {
                await ReadMessagesAsync(input).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Reset by the client, aborted by the script, or the fake is stopping.
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            _peerClosed.TrySetResult();
            _work.Writer.TryComplete();
            Changed();
        }

        await dispatch.ConfigureAwait(false);
        _socket.Dispose();
        Changed();
    }

    private async Task<bool> ReadStartupAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync(_stopping).ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            var status = StartupPacketReader.TryRead(ref reader, out var packet);
            var raw = status == StartupParseStatus.Complete ? buffer.Slice(0, reader.Position).ToArray() : [];
            input.AdvanceTo(status == StartupParseStatus.Complete ? reader.Position : buffer.Start, buffer.End);
            if (status == StartupParseStatus.NeedMoreData)
            {
                if (result.IsCompleted)
                {
                    return false;
                }

                continue;
            }

            if (status == StartupParseStatus.Complete && packet!.Kind is StartupPacketKind.SslRequest or StartupPacketKind.GssEncRequest)
            {
                await SendAsync([SingleByteResponse.Refuse]).ConfigureAwait(false);
                continue;
            }

            lock (_lock)
            {
                _startup = packet;
                _startupBytes = raw;
            }

            Changed();
            if (status == StartupParseStatus.Invalid || packet!.Kind != StartupPacketKind.Startup)
            {
                return false;
            }

            await _work.Writer.WriteAsync(() => _script.OnStartup(this)).ConfigureAwait(false);
            return true;
        }
    }

    private async Task ReadMessagesAsync(PipeReader input)
    {
        long carried = 0;
        while (true)
        {
            var result = await input.ReadAsync(_stopping).ConfigureAwait(false);
            var buffer = result.Buffer;
            Interlocked.Add(ref _bytesReceived, buffer.Length - carried);
            Changed();
            while (MessageHeader.TryPeek(buffer, out var header))
            {
                if (header.Length < 4 || header.Length > MaxMessageSize)
                {
                    ProtocolError = $"invalid message length {header.Length} (code {(char)header.Code})";
                    input.AdvanceTo(buffer.Start, buffer.End);
                    Abort();
                    return;
                }

                if (buffer.Length < header.TotalLength)
                {
                    break;
                }

                var message = new PgMessage(header.Code, buffer.Slice(MessageHeader.Size, header.BodyLength).ToArray());
                buffer = buffer.Slice(header.TotalLength);
                lock (_lock)
                {
                    _received.Add(message);
                }

                Changed();
                await _work.Writer.WriteAsync(() => _script.OnMessage(this, message)).ConfigureAwait(false);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            carried = buffer.Length;
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                // The client went away while the script was sending: what a server sees all the time.
            }
            catch (Exception ex)
            {
                _fault(ex);
            }
        }
    }

    private void Changed()
    {
        _signal.Pulse();
        _serverChanged();
    }
}
