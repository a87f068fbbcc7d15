namespace Tenants.Edge.Proxy;

/// <summary>Why a <see cref="MessagePump"/> stopped.</summary>
internal enum PumpResult
{
    /// <summary>The sending side closed its connection at a message boundary.</summary>
    Completed,

    /// <summary>The receiving side went away.</summary>
    PeerClosed,

    /// <summary>The sending side closed in the middle of a message.</summary>
    Truncated,

    /// <summary>The sending side broke the framing (bad length); nothing of that message was forwarded.</summary>
    ProtocolViolation,

    /// <summary>The pump was stopped from outside.</summary>
    Canceled,

    /// <summary>A connection failed under the pump (reset, broken pipe).</summary>
    Aborted,
}
