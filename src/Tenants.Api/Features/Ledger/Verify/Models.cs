namespace Tenants.Api.Features.Ledger.Verify;

/// <summary>Outcome of a full verification of the caller's ledger.</summary>
public sealed class VerifyLedgerResponse
{
    /// <summary>True when every signature, chain link, block and entry checked out.</summary>
    public required bool Valid { get; init; }

    /// <summary>Size of the last checkpoint verified.</summary>
    public required long TreeSize { get; init; }

    public required long EntriesChecked { get; init; }

    public required int BlocksChecked { get; init; }

    public required int CheckpointsChecked { get; init; }

    /// <summary>The first bad place, when there is one.</summary>
    public VerifyProblem? FirstProblem { get; init; }

    /// <summary>The human-readable report, one VALID/INVALID line per item and a summary.</summary>
    public required IReadOnlyList<string> Report { get; init; }
}

/// <summary>Where verification first failed.</summary>
public sealed class VerifyProblem
{
    /// <summary>The blob, e.g. <c>blocks/...jsonl.gz</c> or <c>checkpoints/...note</c>.</summary>
    public required string Location { get; init; }

    public long? LeafIndex { get; init; }

    /// <summary>1-based line within the block.</summary>
    public int? Line { get; init; }

    public required string Message { get; init; }
}
