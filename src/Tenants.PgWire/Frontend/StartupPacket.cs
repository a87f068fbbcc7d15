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

    /// <summary>
    /// The UTF-8 reading of a parameter value as stored (one char per byte): what to show and record. Bytes that are
    /// not UTF-8 show as U+FFFD.
    /// </summary>
    public static string Text(string raw) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(raw));

    /// <summary>The value of a parameter (one char per byte), or null.</summary>
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
