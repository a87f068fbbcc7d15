namespace Tenants.Ledger.Proofs;

/// <summary>
/// Proof that the checkpointed tree of <see cref="ToSize"/> leaves extends the one of <see cref="FromSize"/>: the
/// RFC 6962 consistency proof and both signed checkpoint notes.
/// </summary>
/// <param name="FromSize">The older tree size.</param>
/// <param name="ToSize">The newer tree size.</param>
/// <param name="Hashes">The consistency proof (RFC 9162 §2.1.4); empty when the sizes are equal.</param>
/// <param name="FromCheckpoint">The signed checkpoint note for <see cref="FromSize"/>.</param>
/// <param name="ToCheckpoint">The signed checkpoint note for <see cref="ToSize"/>.</param>
public sealed record LedgerConsistencyProof(long FromSize, long ToSize, IReadOnlyList<byte[]> Hashes, string FromCheckpoint, string ToCheckpoint);
