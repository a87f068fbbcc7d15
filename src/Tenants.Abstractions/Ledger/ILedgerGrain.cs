using Orleans.Concurrency;
using Tenants.Abstractions.Audit;

namespace Tenants.Abstractions.Ledger;

/// <summary>
/// One per tenant (keyed by tenant id). Orders the tenant's events, seals them into blocks in blob storage, extends
/// the Merkle tree and has checkpoints signed.
/// </summary>
[Alias("tenants.ledger-grain.v1")]
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Accepts a batch of the tenant's events and gives each its place in the ledger; returns only once they are in the
    /// tenant's journal in blob storage (durable). Events whose <see cref="AuditEvent.EventId"/> was already accepted
    /// (within the ledger's dedup window, which survives re-activation) are not added twice, so a retried batch is safe;
    /// an exact retry returns the same <see cref="LedgerAppendResult.FirstIndex"/> with every event counted as a
    /// duplicate. Calls interleave: every batch that arrives while a journal append is in flight rides the next one
    /// (group commit), in arrival order.
    /// </summary>
    /// <exception cref="LedgerUnavailableException">Nothing of the batch was acknowledged (storage down, or the
    /// ledger is moving); retry later.</exception>
    [Alias("AppendAsync")]
    [AlwaysInterleave]
    Task<LedgerAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Seals whatever is pending and writes a signed checkpoint now.</summary>
    [Alias("CheckpointAsync")]
    Task<LedgerStatus> CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Size, sealed size and the last checkpoint.</summary>
    [Alias("GetStatusAsync")]
    Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
