using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>
/// Verifies a tenant's ledger from storage alone: block contiguity, every entry's header (origin, tenant, leaf
/// index), every checkpoint's signature against trusted public keys, the <c>prev</c> chain of checkpoints, and that
/// the entries rebuild exactly the signed root at every checkpoint size. It reports the first bad place precisely
/// and keeps going as long as later checks still mean something.
/// </summary>
public sealed class LedgerVerifier
{
    private readonly ILedgerReader _store;
    private readonly IReadOnlyCollection<LedgerPublicKey> _trustedKeys;

    /// <summary>Creates a verifier over <paramref name="store"/> that accepts signatures by <paramref name="trustedKeys"/>.</summary>
    public LedgerVerifier(ILedgerReader store, IReadOnlyCollection<LedgerPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        _store = store;
        _trustedKeys = trustedKeys;
    }

    /// <summary>Verifies the ledger of <paramref name="tenantId"/> whose checkpoints and entries carry <paramref name="origin"/>.</summary>
    public Task<LedgerVerificationReport> VerifyAsync(string tenantId, string origin, CancellationToken ct = default) =>
        VerifyAsync(tenantId, origin, new LedgerVerificationOptions(), ct);

    /// <summary>
    /// Verifies the ledger of <paramref name="tenantId"/> as <see cref="VerifyAsync(string, string, CancellationToken)"/>
    /// does, and also against what the auditor already trusts and where a partial copy starts (<paramref name="options"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The trusted checkpoint is for another origin.</exception>
    public async Task<LedgerVerificationReport> VerifyAsync(string tenantId, string origin, LedgerVerificationOptions options, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Trusted is { } trusted && trusted.Origin != origin)
        {
            throw new ArgumentException($"The trusted checkpoint is for origin '{trusted.Origin}', not '{origin}'.", nameof(options));
        }

        var blocks = new List<LedgerBlockName>();
        await foreach (var block in _store.ListBlocksAsync(tenantId, ct).ConfigureAwait(false))
        {
            blocks.Add(block);
        }

        var checkpoints = new List<long>();
        await foreach (var size in _store.ListCheckpointsAsync(tenantId, ct).ConfigureAwait(false))
        {
            checkpoints.Add(size);
        }

        blocks.Sort((a, b) => a.FirstIndex != b.FirstIndex ? a.FirstIndex.CompareTo(b.FirstIndex) : a.LastIndex.CompareTo(b.LastIndex));
        checkpoints.Sort();

        var run = new LedgerVerificationRun(_store, _trustedKeys, tenantId, origin, checkpoints, options, blocks.Count);
        await run.ListTilesAsync(ct).ConfigureAwait(false);
        // Blocks are read, decompressed, parsed and leaf-hashed ahead on every core; the pass folds them in order.
        var readAhead = new Queue<Task<PreparedBlock>>();
        var next = 0;
        var depth = Math.Max(2, Environment.ProcessorCount * 2);
        foreach (var block in blocks)
        {
            while (readAhead.Count < depth && next < blocks.Count)
            {
                readAhead.Enqueue(PreparedBlock.PrepareAsync(_store, tenantId, origin, blocks[next++], ct));
            }

            await run.CheckBlockAsync(block, readAhead.Dequeue(), ct).ConfigureAwait(false);
        }

        await run.FinishAsync(ct).ConfigureAwait(false);
        var report = run.ToReport();
        LedgerVerificationMetrics.Finished(report);
        return report;
    }
}
