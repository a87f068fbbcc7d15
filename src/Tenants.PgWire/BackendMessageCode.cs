namespace Tenants.PgWire;

/// <summary>Type bytes of messages a server sends.</summary>
public static class BackendMessageCode
{
    public const byte Authentication = (byte)'R';
    public const byte BackendKeyData = (byte)'K';
    public const byte BindComplete = (byte)'2';
    public const byte CloseComplete = (byte)'3';
    public const byte CommandComplete = (byte)'C';
    public const byte CopyBothResponse = (byte)'W';
    public const byte CopyData = (byte)'d';
    public const byte CopyDone = (byte)'c';
    public const byte CopyInResponse = (byte)'G';
    public const byte CopyOutResponse = (byte)'H';
    public const byte DataRow = (byte)'D';
    public const byte EmptyQueryResponse = (byte)'I';
    public const byte ErrorResponse = (byte)'E';
    public const byte FunctionCallResponse = (byte)'V';
    public const byte NegotiateProtocolVersion = (byte)'v';
    public const byte NoData = (byte)'n';
    public const byte NoticeResponse = (byte)'N';
    public const byte NotificationResponse = (byte)'A';
    public const byte ParameterDescription = (byte)'t';
    public const byte ParameterStatus = (byte)'S';
    public const byte ParseComplete = (byte)'1';
    public const byte PortalSuspended = (byte)'s';
    public const byte ReadyForQuery = (byte)'Z';
    public const byte RowDescription = (byte)'T';
}
