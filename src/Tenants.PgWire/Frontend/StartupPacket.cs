namespace Tenants.PgWire.Frontend;

/// <summary>
/// A startup-phase packet: StartupMessage (with its parameters in the order sent), SSLRequest, GSSENCRequest or
/// CancelRequest (with the process id and secret key to route).
/// </summary>
public sealed record StartupPacket
{
    public required StartupPacketKind Kind { get; init; }

    /// <summary>The protocol version (major &lt;&lt; 16 | minor) of a StartupMessage.</summary>
    public int ProtocolVersion { get; init; }

    /// <summary>StartupMessage parameters in the order the client sent them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>The raw bytes of a CancelRequest after its code: process id then secret key.</summary>
    public ReadOnlyMemory<byte> CancelKey { get; init; }

    /// <summary>Why the packet is invalid, when it is.</summary>
    public string? Error { get; init; }

    /// <summary>The value of a parameter, or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
