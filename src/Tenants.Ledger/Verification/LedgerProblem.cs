namespace Tenants.Ledger.Verification;

/// <summary>One place where a ledger fails verification.</summary>
/// <param name="Location">The blob path, e.g. <c>blocks/00000000000000000000-00000000000000000255.jsonl.gz</c> or
/// <c>checkpoints/00000000000000000256.note</c>; for missing leaves, the block name that should have held them.</param>
/// <param name="LeafIndex">The first leaf concerned, when the problem is about entries.</param>
/// <param name="Line">The 1-based line within the block, when one entry is at fault.</param>
/// <param name="Message">What is wrong, in CloudTrail's vocabulary where it fits (<c>not found</c>,
/// <c>hash value doesn't match</c>, <c>invalid format</c>, <c>signature verification failed</c>, ...).</param>
public sealed record LedgerProblem(string Location, long? LeafIndex, int? Line, string Message)
{
    /// <summary>
    /// What proves the problem when the ledger alone cannot show it, e.g. both signed notes of a split view
    /// (the trusted one first); <see langword="null"/> otherwise.
    /// </summary>
    public IReadOnlyList<string>? Evidence { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        Line is { } line ? $"{Location} line {line} (leaf {LeafIndex}): {Message}"
        : LeafIndex is { } leaf ? $"{Location} (leaf {leaf}): {Message}"
        : $"{Location}: {Message}";
}
