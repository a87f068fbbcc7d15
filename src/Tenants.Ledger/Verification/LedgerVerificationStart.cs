namespace Tenants.Ledger.Verification;

/// <summary>
/// Where a partial copy of a ledger (an export bundle that begins after leaf 0) starts: the tree size of its first
/// checkpoint and the compact range (frontier) of the tree at that size. Untrusted: the verifier accepts it only if
/// the frontier's root equals the root signed by the checkpoint at that size.
/// </summary>
/// <param name="TreeSize">The first leaf held, equal to the size of the first checkpoint held.</param>
/// <param name="Frontier">The compact range hashes at that size, one per set bit, largest subtree first.</param>
public sealed record LedgerVerificationStart(long TreeSize, IReadOnlyList<byte[]> Frontier);
