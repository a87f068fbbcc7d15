namespace Tenants.Abstractions.Jobs;

/// <summary>
/// One per tenant (keyed by tenant id): the tenant's background ledger jobs (verifications and exports). Jobs run in
/// the silo beside the grain; their records are persisted, so a job interrupted by a node failure is found on the
/// next activation and started again (up to three attempts), or marked failed with the reason. Only the tenant's own
/// grain knows its jobs, so an id of another tenant's job is simply unknown.
/// </summary>
[Alias("tenants.ledger-jobs-grain.v1")]
public interface ILedgerJobsGrain : IGrainWithStringKey
{
    /// <summary>Queues a full verification of the tenant's ledger and returns the job.</summary>
    [Alias("StartVerificationAsync")]
    Task<LedgerJob> StartVerificationAsync(string requestedBy, CancellationToken cancellationToken = default);

    /// <summary>Queues an export of the events matching <paramref name="query"/> and returns the job.</summary>
    [Alias("StartExportAsync")]
    Task<LedgerJob> StartExportAsync(LedgerExportQuery query, string requestedBy, CancellationToken cancellationToken = default);

    /// <summary>The job, or null when the tenant has none of that id.</summary>
    [Alias("GetAsync")]
    Task<LedgerJob?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's jobs of <paramref name="kind"/>, newest first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<LedgerJob>> ListAsync(LedgerJobKind kind, CancellationToken cancellationToken = default);
}
