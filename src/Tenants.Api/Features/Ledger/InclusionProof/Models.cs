namespace Tenants.Api.Features.Ledger.InclusionProof;

/// <summary>Query for an inclusion proof: <c>?index=&lt;leaf index&gt;&amp;size=&lt;checkpointed tree size&gt;</c>.</summary>
public sealed class InclusionProofRequest
{
    /// <summary>The leaf index of the entry (0-based, below <see cref="Size"/>).</summary>
    public long? Index { get; set; }

    /// <summary>A tree size that a checkpoint was signed for.</summary>
    public long? Size { get; set; }
}

/// <summary>
/// Everything needed to check offline that an entry is in the caller's ledger: hash <see cref="Entry"/> as an RFC 6962
/// leaf, run the audit path up to the root, and compare with the root of <see cref="Checkpoint"/> after verifying its
/// signature with the published key.
/// </summary>
public sealed class InclusionProofResponse
{
    public required long LeafIndex { get; init; }

    public required long TreeSize { get; init; }

    /// <summary>Base64 of the entry's stored bytes (one canonical JSON line, no newline): exactly what was hashed.</summary>
    public required string Entry { get; init; }

    /// <summary>The audit path, bottom-up, each hash base64.</summary>
    public required IReadOnlyList<string> Hashes { get; init; }

    /// <summary>The signed checkpoint note for <see cref="TreeSize"/>, verbatim.</summary>
    public required string Checkpoint { get; init; }
}
