namespace Tenants.PgWire.Frontend;

/// <summary>Outcome of trying to read a startup-phase packet from the bytes received so far.</summary>
public enum StartupParseStatus
{
    /// <summary>Not enough bytes yet; read more and try again.</summary>
    NeedMoreData,

    /// <summary>A complete packet was read.</summary>
    Complete,

    /// <summary>The bytes are not a valid startup packet; answer 08P01 and close.</summary>
    Invalid,
}
