namespace Tenants.PgWire.Frontend;

/// <summary>What an untyped startup-phase packet asks for.</summary>
public enum StartupPacketKind
{
    Startup,
    SslRequest,
    GssEncRequest,
    CancelRequest,
}
