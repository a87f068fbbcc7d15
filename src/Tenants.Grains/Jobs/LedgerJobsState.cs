using Tenants.Abstractions.Jobs;

namespace Tenants.Grains.Jobs;

/// <summary>What a tenant's jobs grain persists: its jobs, oldest first.</summary>
[GenerateSerializer]
[Alias("tenants.ledger-jobs-state.v1")]
public sealed class LedgerJobsState
{
    // No initialisers (architecture.md): the ADO.NET storage's JSON leaves default values out. Null means none.
    [Id(0)] public List<LedgerJobState>? Jobs { get; set; }
}

/// <summary>One job as persisted.</summary>
[GenerateSerializer]
[Alias("tenants.ledger-job-state.v1")]
public sealed class LedgerJobState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public LedgerJobKind Kind { get; set; }

    [Id(2)] public LedgerJobStatus Status { get; set; }

    [Id(3)] public string? RequestedBy { get; set; }

    [Id(4)] public DateTimeOffset Created { get; set; }

    [Id(5)] public DateTimeOffset? Started { get; set; }

    [Id(6)] public DateTimeOffset? Finished { get; set; }

    [Id(7)] public int Attempts { get; set; }

    [Id(8)] public LedgerJobProgress? Progress { get; set; }

    [Id(9)] public string? Error { get; set; }

    [Id(10)] public LedgerExportQuery? Query { get; set; }

    [Id(11)] public LedgerVerificationOutcome? Verification { get; set; }

    [Id(12)] public LedgerExportOutcome? Export { get; set; }

    /// <summary>True once an export's bundle blob was deleted (retention passed, or the record is being forgotten).</summary>
    [Id(13)] public bool BundleDeleted { get; set; }

    /// <summary>The job as the grain reports it, with <paramref name="live"/> progress while it runs.</summary>
    public LedgerJob ToJob(LedgerJobProgress? live) => new()
    {
        Id = Id ?? string.Empty,
        Kind = Kind,
        Status = Status,
        RequestedBy = RequestedBy ?? string.Empty,
        Created = Created,
        Started = Started,
        Finished = Finished,
        Attempts = Attempts,
        Progress = live ?? Progress ?? new LedgerJobProgress(),
        Error = Error,
        Query = Query,
        Verification = Verification,
        Export = Export is null ? null : Export with { Deleted = BundleDeleted },
    };
}
