namespace Tenants.Ledger.Index;

/// <summary>One bucket of a time histogram: events at or after <see cref="Start"/>, before the next bucket's start.</summary>
public sealed record LedgerIndexBucket(DateTimeOffset Start, long Count);
