namespace Tenants.Edge.Proxy;

/// <summary>
/// Something the client sent that the server has yet to answer: a simple Query (possibly several statements), an
/// extended-protocol Execute, a FunctionCall, or the Sync that closes a pipeline. Responses arrive in the order
/// these were sent; each completion the server reports is kept as a <see cref="StatementResult"/>.
/// </summary>
internal sealed class PendingStatement
{
    public required PendingKind Kind { get; init; }

    public string? Sql { get; init; }

    public bool SqlTruncated { get; init; }

    public IReadOnlyList<string?>? Parameters { get; init; }

    public long StartTimestamp { get; init; }

    /// <summary>How the statement's event is delivered (from its class and the endpoint's settings).</summary>
    public DurabilityMode Mode { get; init; } = DurabilityMode.Sequenced;

    /// <summary>Why the proxy refused to forward the statement (its durable event was not acknowledged); null if forwarded.</summary>
    public string? Refusal { get; init; }

    /// <summary>The SQLSTATE of the refusal (55000 for a durable statement, 42501 or 54000 for the policy's).</summary>
    public string? RefusalSqlState { get; init; }

    /// <summary>The policy's refusal, when the policy kept the statement from running.</summary>
    public Tenants.Edge.Policy.PolicyRefusal? Policy { get; init; }

    public List<StatementResult> Results { get; } = [];

    /// <summary>The policy's answer for this statement (evaluated once, when it is sent); null for a Sync.</summary>
    public Tenants.Policy.Rules.StatementVerdict? Verdict { get; set; }

    /// <summary>For an Execute: what its portal was bound to (masking finds the columns of its rows by it; row limits, the Bind).</summary>
    public PortalSource? Portal { get; init; }

    /// <summary>The tenant's key for keyed hashes, as it was when the verdict was made.</summary>
    public byte[]? Salt { get; set; }

    /// <summary>For an Execute: which Bind made its portal (a session-wide serial; 0 unknown), so a row limit counts across resumed Executes.</summary>
    public long PortalBind => Portal?.Bind ?? 0;

    /// <summary>The policy's row limit, once the statement returned more rows than it allows (set by the server side).</summary>
    public Tenants.Edge.Policy.PolicyRefusal? Limit { get; set; }

    /// <summary>The rows the client got of a statement cut at its row limit.</summary>
    public long RowsForwarded { get; set; }
}

internal enum PendingKind
{
    SimpleQuery,
    Execute,
    FunctionCall,
    Sync,
}

/// <summary>One completion: a command tag, or an error, with the COPY that ran under it and when it finished.</summary>
internal sealed record StatementResult(string? Tag, long? Rows, string? SqlState, string? Message, CopySummary? Copy, long Timestamp);

/// <summary>What a COPY moved: direction, bytes of CopyData, and the SHA-256 of that data stream (hex).</summary>
internal sealed record CopySummary(string Direction, long Bytes, string Sha256);
