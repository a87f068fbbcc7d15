namespace Tenants.Abstractions.Ledger;

/// <summary>The state of a tenant's ledger.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-status.v1")]
public sealed record LedgerStatus
{
    [Id(0)] public required string Origin { get; init; }

    /// <summary>Entries accepted (in the journal), sealed or not.</summary>
    [Id(1)] public long Size { get; init; }

    /// <summary>Entries written to sealed blocks.</summary>
    [Id(2)] public long SealedSize { get; init; }

    /// <summary>Tree size of the last signed checkpoint.</summary>
    [Id(3)] public long CheckpointSize { get; init; }

    /// <summary>Base64 root hash of the last signed checkpoint.</summary>
    [Id(4)] public string? CheckpointRootHash { get; init; }

    [Id(5)] public DateTimeOffset? CheckpointTime { get; init; }

    /// <summary>Events received but not yet in the journal (waiting for, or riding, a journal append).</summary>
    [Id(6)] public int Journaling { get; init; }
}
