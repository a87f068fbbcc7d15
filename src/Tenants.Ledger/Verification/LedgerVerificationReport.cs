namespace Tenants.Ledger.Verification;

/// <summary>The outcome of verifying one tenant's ledger.</summary>
/// <param name="IsValid">No problem was found (an unsigned tail is a warning, not a problem).</param>
/// <param name="TreeSize">The size of the last checkpoint whose signature, chain and root all verified.</param>
/// <param name="EntriesChecked">Entries read and hashed.</param>
/// <param name="BlocksChecked">Blocks listed and read.</param>
/// <param name="CheckpointsChecked">Checkpoints listed and opened.</param>
/// <param name="FirstProblem">The first bad place in leaf order, or <see langword="null"/>.</param>
/// <param name="Problems">Every problem found, in the order found.</param>
/// <param name="Lines">
/// Human-readable report in CloudTrail's shape: one <c>&lt;kind&gt;\t&lt;path&gt;\tvalid</c> or
/// <c>&lt;kind&gt;\t&lt;path&gt;\tINVALID: &lt;reason&gt;</c> line per object, informational lines, then summary
/// lines and a final line starting with <c>VALID</c> or <c>INVALID</c>.
/// </param>
public sealed record LedgerVerificationReport(
    bool IsValid,
    long TreeSize,
    long EntriesChecked,
    int BlocksChecked,
    int CheckpointsChecked,
    LedgerProblem? FirstProblem,
    IReadOnlyList<LedgerProblem> Problems,
    IReadOnlyList<string> Lines)
{
    /// <summary>
    /// The newest checkpoint whose signature, chain and root all verified (size <see cref="TreeSize"/>), to keep as the
    /// trusted checkpoint of the next run; <see langword="null"/> when none verified.
    /// </summary>
    public LedgerTrustedCheckpoint? NewestCheckpoint { get; init; }
}
