namespace Tenants.Api.Features.Ledger.ConsistencyProof;

/// <summary>Query for a consistency proof: <c>?from=&lt;older size&gt;&amp;to=&lt;newer size&gt;</c>, both checkpointed.</summary>
public sealed class ConsistencyProofRequest
{
    /// <summary>The older checkpointed tree size.</summary>
    public long? From { get; set; }

    /// <summary>The newer checkpointed tree size (at least <see cref="From"/>).</summary>
    public long? To { get; set; }
}

/// <summary>
/// Proof that the caller's ledger at <see cref="To"/> extends the one at <see cref="From"/>: verify both notes'
/// signatures, then the RFC 9162 consistency proof between their roots.
/// </summary>
public sealed class ConsistencyProofResponse
{
    public required long From { get; init; }

    public required long To { get; init; }

    /// <summary>The consistency proof, each hash base64; empty when the sizes are equal or <see cref="From"/> is 0.</summary>
    public required IReadOnlyList<string> Hashes { get; init; }

    /// <summary>The signed checkpoint note for <see cref="From"/>, verbatim.</summary>
    public required string FromCheckpoint { get; init; }

    /// <summary>The signed checkpoint note for <see cref="To"/>, verbatim.</summary>
    public required string ToCheckpoint { get; init; }
}
