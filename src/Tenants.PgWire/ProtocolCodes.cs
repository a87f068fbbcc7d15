namespace Tenants.PgWire;

/// <summary>The 32-bit codes that open an untyped startup-phase packet.</summary>
public static class ProtocolCodes
{
    /// <summary>Protocol 3.0.</summary>
    public const int Version30 = 3 << 16;

    /// <summary>Protocol 3.2 (PostgreSQL 18: longer cancel keys).</summary>
    public const int Version32 = (3 << 16) | 2;

    public const int CancelRequest = 80877102;
    public const int SslRequest = 80877103;
    public const int GssEncRequest = 80877104;

    /// <summary>Largest startup packet PostgreSQL itself accepts (MAX_STARTUP_PACKET_LENGTH).</summary>
    public const int MaxStartupPacketLength = 10_000;
}
