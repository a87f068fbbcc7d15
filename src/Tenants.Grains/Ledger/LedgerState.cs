namespace Tenants.Grains.Ledger;

/// <summary>
/// What a ledger grain persists: the sealed tree's frontier and the last checkpoint. Everything here can be rebuilt
/// from the blobs alone (see <see cref="LedgerGrain"/> recovery).
/// </summary>
[GenerateSerializer]
[Alias("tenants.ledger-state.v1")]
public sealed class LedgerState
{
    /// <summary>Entries in sealed blocks.</summary>
    [Id(0)] public long SealedSize { get; set; }

    /// <summary>The compact range (perfect subtree roots, largest first) of the sealed tree.</summary>
    [Id(1)] public List<byte[]> Frontier { get; set; } = [];

    /// <summary>Tree size of the last checkpoint written.</summary>
    [Id(2)] public long CheckpointSize { get; set; }

    /// <summary>Base64 SHA-256 of the last checkpoint's full note text (the next one's <c>prev</c>).</summary>
    [Id(3)] public string? CheckpointNoteHash { get; set; }

    /// <summary>Base64 root hash of the last checkpoint.</summary>
    [Id(4)] public string? CheckpointRootHash { get; set; }

    [Id(5)] public DateTimeOffset? CheckpointTime { get; set; }
}
