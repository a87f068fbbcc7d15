namespace Tenants.Abstractions.Jobs;

/// <summary>The result of a verification job: what <c>GET /api/v1/ledger/verify</c> answers.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-verification-outcome.v1")]
public sealed record LedgerVerificationOutcome
{
    [Id(0)] public bool Valid { get; init; }

    /// <summary>Size of the last checkpoint whose signature, chain and root verified.</summary>
    [Id(1)] public long TreeSize { get; init; }

    [Id(2)] public long EntriesChecked { get; init; }

    [Id(3)] public int BlocksChecked { get; init; }

    [Id(4)] public int CheckpointsChecked { get; init; }

    /// <summary>The blob of the first problem, e.g. <c>blocks/...jsonl.gz</c>; null when valid.</summary>
    [Id(5)] public string? ProblemLocation { get; init; }

    [Id(6)] public long? ProblemLeafIndex { get; init; }

    [Id(7)] public int? ProblemLine { get; init; }

    [Id(8)] public string? ProblemMessage { get; init; }

    /// <summary>The final line of the report (<c>VALID ...</c> or <c>INVALID ...</c>).</summary>
    [Id(9)] public string? Summary { get; init; }
}
