namespace Tenants.Abstractions.Jobs;

/// <summary>How far a job has come. Totals are known once the job has listed the ledger.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-job-progress.v1")]
public sealed record LedgerJobProgress
{
    [Id(0)] public long EntriesChecked { get; init; }

    [Id(1)] public long? EntriesTotal { get; init; }

    [Id(2)] public int BlocksChecked { get; init; }

    [Id(3)] public int? BlocksTotal { get; init; }

    /// <summary>0 to 100, by blocks.</summary>
    [Id(4)] public int Percent { get; init; }
}
