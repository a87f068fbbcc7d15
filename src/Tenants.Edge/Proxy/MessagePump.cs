using System.Buffers;
using System.IO.Pipelines;
using Tenants.PgWire;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Forwards typed protocol messages from one side to the other as they arrive, never waiting for a whole message
/// before passing bytes on, and tells an observer about each message once it has gone through. Lengths are checked
/// before a message is forwarded or anything is allocated; bodies the observer wants are handed over in place when
/// the whole message is in the buffer, and copied (up to a limit) only when a message spans reads.
/// </summary>
internal sealed class MessagePump(PipeReader input, PipeWriter output, IMessageObserver observer, int maxMessageSize, int maxCaptureBytes)
{
    /// <summary>Largest message an observer may rewrite (authentication requests are a few dozen bytes).</summary>
    public const int RewriteLimit = 64 * 1024;

    /// <summary>Most of a held message the pump buffers before deciding (a longer query is classified by its start).</summary>
    public const int HoldLimit = 64 * 1024;

    private long _remaining;
    private byte _code;
    private int _length;
    private ArrayBufferWriter<byte>? _capture;
    private bool _capturing;
    private bool _truncated;
    private bool _streaming;
    private bool _discarding;
    private bool _admitted;
    private Task<bool>? _hold;
    private byte _holdCode;
    private long _holdLength;
    private long _lastActivity = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Bytes forwarded.</summary>
    public long Bytes { get; private set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the last bytes received.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Whole messages forwarded.</summary>
    public long Messages { get; private set; }

    /// <summary>False while a message is partly forwarded (read only after the pump stopped).</summary>
    public bool AtMessageBoundary => _remaining == 0;

    /// <summary>The bad length that stopped the pump with <see cref="PumpResult.ProtocolViolation"/>.</summary>
    public int? InvalidLength { get; private set; }

    public async Task<PumpResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                {
                    return PumpResult.Canceled;
                }

                var buffer = result.Buffer;
                Volatile.Write(ref _lastActivity, System.Diagnostics.Stopwatch.GetTimestamp());
                var violation = false;
                long forwarded = 0;
                var consumed = buffer.Start;
                var remaining = buffer;
                try
                {
                    while (true)
                    {
                        var before = Bytes;
                        remaining = Process(remaining, out violation, cancellationToken);
                        consumed = remaining.Start;
                        forwarded += Bytes - before;
                        if (_hold is null)
                        {
                            break;
                        }

                        // A message waits for its audit event: send what came before it, then wait (the buffer stays ours,
                        // since nothing is advanced until the message is forwarded or refused).
                        if (await FlushAsync(cancellationToken))
                        {
                            return PumpResult.PeerClosed;
                        }

                        var admitted = await _hold;
                        _hold = null;
                        if (admitted)
                        {
                            _admitted = true;
                        }
                        else
                        {
                            observer.Refuse(_holdCode, output);
                            forwarded++;
                            _discarding = true;
                            _remaining = _holdLength;
                        }
                    }
                }
                finally
                {
                    // Everything forwarded is consumed; a partial header stays for the next read.
                    input.AdvanceTo(consumed, buffer.End);
                }

                if (forwarded > 0 && await FlushAsync(cancellationToken))
                {
                    return PumpResult.PeerClosed;
                }

                await observer.SettleAsync(cancellationToken);

                if (violation)
                {
                    return PumpResult.ProtocolViolation;
                }

                if (result.IsCompleted)
                {
                    return _remaining > 0 || !remaining.IsEmpty ? PumpResult.Truncated : PumpResult.Completed;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return PumpResult.Canceled;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            return PumpResult.Aborted;
        }
    }

    private async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var flush = await output.FlushAsync(cancellationToken);
        return flush.IsCompleted;
    }

    private ReadOnlySequence<byte> Process(ReadOnlySequence<byte> remaining, out bool violation, CancellationToken cancellationToken)
    {
        violation = false;
        while (!remaining.IsEmpty)
        {
            if (_remaining > 0)
            {
                remaining = ContinueMessage(remaining);
                continue;
            }

            if (!MessageHeader.TryPeek(remaining, out var header))
            {
                break;
            }

            if (header.Length < 4 || header.Length > maxMessageSize)
            {
                InvalidLength = header.Length;
                violation = true;
                break;
            }

            if (!_admitted && observer.Holds(header.Code))
            {
                var needed = Math.Min(header.TotalLength, HoldLimit);
                if (remaining.Length < needed)
                {
                    break;
                }

                _hold = observer.Hold(header.Code, remaining.Slice(0, needed), needed < header.TotalLength, cancellationToken);
                if (_hold is not null)
                {
                    _holdCode = header.Code;
                    _holdLength = header.TotalLength;
                    break;
                }
            }

            _admitted = false;
            var wants = observer.WantsBody(header.Code);
            if (observer.Rewrites(header.Code) && header.TotalLength <= observer.RewriteLimit(header.Code))
            {
                if (remaining.Length < header.TotalLength)
                {
                    break;
                }

                var whole = remaining.Slice(0, header.TotalLength);
                observer.Rewrite(whole, output);
                Bytes += header.TotalLength;
                Messages++;
                observer.OnMessage(header.Code, header.Length, wants ? whole.Slice(MessageHeader.Size) : default, truncated: false);
                remaining = remaining.Slice(header.TotalLength);
                continue;
            }

            if (remaining.Length >= header.TotalLength)
            {
                // The common case: the whole message is here. Forward it and show the observer the body in place.
                var message = remaining.Slice(0, header.TotalLength);
                Forward(message);
                if (observer.StreamsBody(header.Code))
                {
                    observer.OnBodyChunk(message.Slice(MessageHeader.Size));
                }

                var body = wants ? message.Slice(MessageHeader.Size, Math.Min(header.BodyLength, maxCaptureBytes)) : default;
                Messages++;
                observer.OnMessage(header.Code, header.Length, body, wants && header.BodyLength > maxCaptureBytes);
                remaining = remaining.Slice(header.TotalLength);
                continue;
            }

            // The message spans reads: forward what is here now and keep streaming it.
            _code = header.Code;
            _length = header.Length;
            _capturing = wants;
            _streaming = observer.StreamsBody(header.Code);
            _truncated = false;
            _remaining = header.BodyLength;
            _capture?.Clear();
            Forward(remaining.Slice(0, MessageHeader.Size));
            remaining = remaining.Slice(MessageHeader.Size);
        }

        return remaining;
    }

    private ReadOnlySequence<byte> ContinueMessage(ReadOnlySequence<byte> remaining)
    {
        var take = Math.Min(_remaining, remaining.Length);
        var chunk = remaining.Slice(0, take);
        if (_discarding)
        {
            // A refused message: none of it goes on, and the observer already knows.
            _remaining -= take;
            _discarding = _remaining > 0;
            return remaining.Slice(take);
        }

        Forward(chunk);
        if (_capturing)
        {
            Capture(chunk);
        }

        if (_streaming)
        {
            observer.OnBodyChunk(chunk);
        }

        _remaining -= take;
        if (_remaining == 0)
        {
            Messages++;
            var body = _capturing && _capture is not null ? new ReadOnlySequence<byte>(_capture.WrittenMemory) : default;
            observer.OnMessage(_code, _length, body, _truncated);
            _capture?.Clear();
        }

        return remaining.Slice(take);
    }

    private void Capture(in ReadOnlySequence<byte> chunk)
    {
        _capture ??= new ArrayBufferWriter<byte>();
        foreach (var segment in chunk)
        {
            var room = maxCaptureBytes - _capture.WrittenCount;
            if (room <= 0)
            {
                _truncated = true;
                return;
            }

            var part = segment.Span.Length <= room ? segment.Span : segment.Span[..room];
            _truncated |= part.Length < segment.Span.Length;
            _capture.Write(part);
        }
    }

    private void Forward(in ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            output.Write(segment.Span);
        }

        Bytes += bytes.Length;
    }
}
