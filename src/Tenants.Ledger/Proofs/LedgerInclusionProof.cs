namespace Tenants.Ledger.Proofs;

/// <summary>
/// Everything a client needs to check offline that an entry is in a tenant's ledger: the entry's stored bytes, its
/// leaf index, the RFC 6962 audit path to the root of <see cref="TreeSize"/>, and the signed checkpoint for that size.
/// </summary>
/// <param name="Entry">The entry exactly as stored and hashed (one canonical JSON line, no newline).</param>
/// <param name="LeafIndex">The entry's position in the tree.</param>
/// <param name="TreeSize">The size of the checkpointed tree the proof leads to.</param>
/// <param name="Hashes">The audit path, bottom-up (RFC 9162 §2.1.3).</param>
/// <param name="Checkpoint">The signed checkpoint note for <see cref="TreeSize"/>, verbatim.</param>
public sealed record LedgerInclusionProof(ReadOnlyMemory<byte> Entry, long LeafIndex, long TreeSize, IReadOnlyList<byte[]> Hashes, string Checkpoint);
