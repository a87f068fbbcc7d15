namespace Tenants.Ledger.Storage;

/// <summary>
/// A sealed block: consecutive ledger entries, each the exact canonical bytes that were hashed into the tree.
/// Stored as the entries joined by <c>\n</c> with a trailing <c>\n</c>.
/// </summary>
public sealed record LedgerBlock(LedgerBlockName Name, IReadOnlyList<ReadOnlyMemory<byte>> Entries);
