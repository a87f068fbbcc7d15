namespace Tenants.Edge.Proxy;

/// <summary>
/// Something the client sent that the server has yet to answer: a simple Query, an extended-protocol Execute, or
/// the Sync that closes a pipeline. Responses arrive in the order these were sent.
/// </summary>
internal sealed class PendingStatement
{
    public required PendingKind Kind { get; init; }

    public string? Sql { get; init; }

    public bool SqlTruncated { get; init; }

    public long StartTimestamp { get; init; }

    public List<string> Tags { get; } = [];

    public long? Rows { get; set; }

    public string? SqlState { get; set; }

    public string? ErrorMessage { get; set; }
}

internal enum PendingKind
{
    SimpleQuery,
    Execute,
    Sync,
}
