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
    /// Accepts a batch of the tenant's events and gives each its place in the ledger. Events whose
    /// <see cref="AuditEvent.EventId"/> was already accepted are not added twice.
    /// </summary>
    [Alias("AppendAsync")]
    Task<LedgerAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Seals whatever is pending and writes a signed checkpoint now.</summary>
    [Alias("CheckpointAsync")]
    Task<LedgerStatus> CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Size, sealed size and the last checkpoint.</summary>
    [Alias("GetStatusAsync")]
    Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
