namespace Tenants.Ledger.Verification;

/// <summary>The outcome of verifying one tenant's ledger.</summary>
/// <param name="IsValid">No problem was found (an unsigned tail is a warning, not a problem).</param>
/// <param name="TreeSize">The size of the last checkpoint whose signature, chain and root all verified.</param>
/// <param name="EntriesChecked">Entries read and hashed.</param>
/// <param name="BlocksChecked">Blocks listed and read.</param>
/// <param name="CheckpointsChecked">Checkpoints listed and opened.</param>
/// <param name="FirstProblem">The first bad place in leaf order, or <see langword="null"/>.</param>
/// <param name="Problems">Every problem found, in the order found.</param>
/// <param name="Lines">Human-readable report: one <c>VALID</c>/<c>INVALID</c> line per object, warnings, then a summary.</param>
public sealed record LedgerVerificationReport(
    bool IsValid,
    long TreeSize,
    long EntriesChecked,
    int BlocksChecked,
    int CheckpointsChecked,
    LedgerProblem? FirstProblem,
    IReadOnlyList<LedgerProblem> Problems,
    IReadOnlyList<string> Lines);
