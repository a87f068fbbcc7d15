namespace Tenants.PgWire.Backend;

/// <summary>The one-byte answers to SSLRequest and GSSENCRequest.</summary>
public static class SingleByteResponse
{
    /// <summary>'N': the server will not encrypt; the client may go on in plaintext or give up.</summary>
    public const byte Refuse = (byte)'N';

    /// <summary>'S': the server will start a TLS handshake.</summary>
    public const byte Accept = (byte)'S';
}
