namespace Tenants.Ledger.Verification;

/// <summary>What a verification run knows besides the ledger itself.</summary>
public sealed class LedgerVerificationOptions
{
    /// <summary>
    /// The last checkpoint the auditor verified before (a note, or a state file kept between runs). The ledger must
    /// extend it: a newest signed checkpoint smaller than it is a <c>rollback</c>; another root or note at its size is
    /// a <c>SECURITY ERROR: split view</c>.
    /// </summary>
    public LedgerTrustedCheckpoint? Trusted { get; init; }

    /// <summary>Where a partial ledger starts (see <see cref="LedgerVerificationStart"/>); <see langword="null"/> for leaf 0.</summary>
    public LedgerVerificationStart? Start { get; init; }

    /// <summary>Told after each block, for a progress line on large ledgers.</summary>
    public IProgress<LedgerVerificationProgress>? Progress { get; init; }
}
