using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Signing;

namespace Tenants.Ledger.Verification;

/// <summary>
/// The last checkpoint an auditor has verified for one ledger (witness state, C2SP tlog-witness): the next
/// verification must show a ledger that extends it. A smaller ledger is a rollback; a different root or note at the
/// same size is a split view.
/// </summary>
/// <param name="Origin">The ledger origin the checkpoint names.</param>
/// <param name="TreeSize">Its tree size.</param>
/// <param name="RootHash">Its 32-byte root hash.</param>
/// <param name="Note">The complete signed note, kept as evidence; <see langword="null"/> when only size and root are known.</param>
public sealed record LedgerTrustedCheckpoint(string Origin, long TreeSize, byte[] RootHash, string? Note)
{
    /// <summary>Opens a signed note with <paramref name="trustedKeys"/> and takes it as the trusted checkpoint.</summary>
    /// <returns><see langword="false"/> with the reason when the note does not verify.</returns>
    public static bool TryFromNote(
        string note, IReadOnlyCollection<LedgerPublicKey> trustedKeys, out LedgerTrustedCheckpoint? trusted, out string? error)
    {
        trusted = null;
        if (!CheckpointNote.TryOpen(note, trustedKeys, out var checkpoint, out error))
        {
            return false;
        }

        trusted = new LedgerTrustedCheckpoint(checkpoint!.Origin, checkpoint.TreeSize, checkpoint.RootHash, note);
        return true;
    }
}
