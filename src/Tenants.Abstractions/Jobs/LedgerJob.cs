namespace Tenants.Abstractions.Jobs;

/// <summary>A background job on a tenant's ledger, as <see cref="ILedgerJobsGrain"/> reports it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-job.v1")]
public sealed record LedgerJob
{
    /// <summary>The job id (a ULID).</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required LedgerJobKind Kind { get; init; }

    [Id(2)] public required LedgerJobStatus Status { get; init; }

    /// <summary>The member or key that asked for it.</summary>
    [Id(3)] public required string RequestedBy { get; init; }

    [Id(4)] public required DateTimeOffset Created { get; init; }

    [Id(5)] public DateTimeOffset? Started { get; init; }

    [Id(6)] public DateTimeOffset? Finished { get; init; }

    /// <summary>How many times the job was started; more than one when a node stopped while it ran.</summary>
    [Id(7)] public int Attempts { get; init; }

    [Id(8)] public required LedgerJobProgress Progress { get; init; }

    /// <summary>Why the job failed.</summary>
    [Id(9)] public string? Error { get; init; }

    /// <summary>The events an export holds; null for a verification.</summary>
    [Id(10)] public LedgerExportQuery? Query { get; init; }

    [Id(11)] public LedgerVerificationOutcome? Verification { get; init; }

    [Id(12)] public LedgerExportOutcome? Export { get; init; }
}
