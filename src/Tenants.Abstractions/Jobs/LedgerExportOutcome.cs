namespace Tenants.Abstractions.Jobs;

/// <summary>The result of an export job: the bundle in blob storage and what it covers.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-export-outcome.v1")]
public sealed record LedgerExportOutcome
{
    /// <summary>Events matching the query, all in the bundle's <c>events.jsonl</c> with an inclusion proof each.</summary>
    [Id(0)] public long Events { get; init; }

    /// <summary>The first checkpoint size the bundle starts from (0: the start of the ledger).</summary>
    [Id(1)] public long FromSize { get; init; }

    /// <summary>The checkpoint size the bundle ends at, which every proof leads to; null when the ledger has none.</summary>
    [Id(2)] public long? ToSize { get; init; }

    /// <summary>Size of the tar in bytes.</summary>
    [Id(3)] public long Bytes { get; init; }

    /// <summary>SHA-256 of the tar, lower-case hex.</summary>
    [Id(4)] public string? Sha256 { get; init; }

    /// <summary>True when more events matched than <c>Exports:MaxEvents</c>; the bundle holds the oldest ones.</summary>
    [Id(5)] public bool Truncated { get; init; }

    /// <summary>True once the bundle was deleted (<c>Exports:Retention</c> passed); the record stays, the download is gone.</summary>
    [Id(6)] public bool Deleted { get; init; }
}
