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

    /// <summary>Writes the message to forward in place of <paramref name="message"/> (header included); may write it unchanged.</summary>
    void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output);
}
