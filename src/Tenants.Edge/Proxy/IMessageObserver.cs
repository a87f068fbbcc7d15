using System.Buffers;

namespace Tenants.Edge.Proxy;

/// <summary>Sees each message a <see cref="MessagePump"/> forwards, after its bytes are written onward.</summary>
internal interface IMessageObserver
{
    /// <summary>Whether the body of messages with this code is needed (others are counted, not captured).</summary>
    bool WantsBody(byte code);

    /// <summary>
    /// A whole message went through. <paramref name="body"/> is empty unless <see cref="WantsBody"/> said so, and is
    /// valid only during the call. It is cut at the capture limit when <paramref name="truncated"/>.
    /// </summary>
    void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated);

    /// <summary>Whether the whole body of messages with this code should be streamed to <see cref="OnBodyChunk"/>, however large.</summary>
    bool StreamsBody(byte code);

    /// <summary>The next piece of a streamed body, in order, valid only during the call.</summary>
    void OnBodyChunk(in ReadOnlySequence<byte> chunk);

    /// <summary>
    /// Whether messages with this code may need to be changed on their way (the pump then waits for the whole
    /// message, which must be small: at most <see cref="MessagePump.RewriteLimit"/> bytes).
    /// </summary>
    bool Rewrites(byte code);

    /// <summary>
    /// The largest message with this code the pump waits for whole to rewrite (a larger one is forwarded unchanged,
    /// unseen by <see cref="Rewrite"/>); at most the pump's message size limit applies in any case.
    /// </summary>
    int RewriteLimit(byte code) => MessagePump.RewriteLimit;

    /// <summary>Writes the message to forward in place of <paramref name="message"/> (header included); may write it unchanged.</summary>
    void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output);

    /// <summary>
    /// Whether a message with this code may have to wait before it is forwarded (durable auditing). The pump then
    /// shows <see cref="Hold"/> the message, or its first <see cref="MessagePump.HoldLimit"/> bytes, before sending
    /// any of it.
    /// </summary>
    bool Holds(byte code) => false;

    /// <summary>
    /// Decides about a message that is about to be forwarded (header included, cut at <see cref="MessagePump.HoldLimit"/>
    /// when <paramref name="truncated"/>): null to forward it now, or a task that says, once complete, whether to
    /// forward it (true) or to refuse it (false: the pump calls <see cref="Refuse"/> and drops the message).
    /// </summary>
    Task<bool>? Hold(byte code, in ReadOnlySequence<byte> message, bool truncated, CancellationToken cancellationToken) => null;

    /// <summary>Writes what goes onward in place of a refused message.</summary>
    void Refuse(byte code, IBufferWriter<byte> output) => throw new NotSupportedException();

    /// <summary>Completes when the events caused by the messages so far have room in the audit queue (backpressure).</summary>
    ValueTask SettleAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
