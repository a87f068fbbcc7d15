using Tenants.Abstractions.Jobs;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Grains.Jobs;

/// <summary>A full verification of one tenant's ledger, exactly as <c>GET /api/v1/ledger/verify</c> runs it, with progress.</summary>
internal static class LedgerVerificationWork
{
    public static async Task<LedgerVerificationOutcome> RunAsync(
        ILedgerReader store, ILedgerSigner signer, string tenantId, string origin, LedgerJobProgressCounter progress, CancellationToken ct)
    {
        // The entry total comes from the block names (the verifier reports blocks as it lists and reads them).
        long entries = 0;
        var blocks = 0;
        await foreach (var block in store.ListBlocksAsync(tenantId, ct).ConfigureAwait(false))
        {
            entries += block.Count;
            blocks++;
        }

        progress.SetTotals(entries, blocks);
        var verifier = new LedgerVerifier(store, await signer.GetPublicKeysAsync(ct).ConfigureAwait(false));
        var report = await verifier.VerifyAsync(tenantId, origin, new LedgerVerificationOptions { Progress = progress }, ct).ConfigureAwait(false);
        return new LedgerVerificationOutcome
        {
            Valid = report.IsValid,
            TreeSize = report.TreeSize,
            EntriesChecked = report.EntriesChecked,
            BlocksChecked = report.BlocksChecked,
            CheckpointsChecked = report.CheckpointsChecked,
            ProblemLocation = report.FirstProblem?.Location,
            ProblemLeafIndex = report.FirstProblem?.LeafIndex,
            ProblemLine = report.FirstProblem?.Line,
            ProblemMessage = report.FirstProblem?.Message,
            Summary = report.Lines.Count > 0 ? report.Lines[^1] : null,
        };
    }
}
