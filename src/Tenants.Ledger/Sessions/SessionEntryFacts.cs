namespace Tenants.Ledger.Sessions;

/// <summary>What the session check needs of one entry: its kind and the few event properties that are counted.</summary>
/// <param name="Kind">The entry's kind, e.g. <c>statement</c>.</param>
/// <param name="SessionId">The event's <c>session</c>; null when it has none.</param>
/// <param name="SqlState">The event's <c>sqlstate</c>.</param>
/// <param name="Rows">The event's <c>rows</c>.</param>
/// <param name="BytesFromClient">The event's <c>bytes_from_client</c>.</param>
/// <param name="BytesFromServer">The event's <c>bytes_from_server</c>.</param>
/// <param name="Summary">The claims of a <c>session_summary</c> entry; null for other kinds.</param>
public sealed record SessionEntryFacts(
    string Kind,
    string? SessionId,
    string? SqlState,
    long? Rows,
    long? BytesFromClient,
    long? BytesFromServer,
    SessionTotals? Summary);
