using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Proofs;

/// <summary>
/// Inclusion and consistency proofs for one tenant's ledger, served from its stored hash tiles and checkpoints, for
/// checkpointed tree sizes only (those are the sizes a client can check a signature for). Every proof is checked
/// against the signed root before it is handed out, so damaged storage gives an error, never a proof that fails.
/// </summary>
public sealed class LedgerProofs
{
    private readonly ILedgerReader _store;
    private readonly string _tenantId;
    private readonly TiledProofReader _reader;

    /// <summary>Creates the proof source of <paramref name="tenantId"/>'s ledger in <paramref name="store"/>.</summary>
    public LedgerProofs(ILedgerReader store, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        _store = store;
        _tenantId = tenantId;
        _reader = new TiledProofReader(new LedgerStoreTileSource(store, tenantId));
    }

    /// <summary>The entry at <paramref name="leafIndex"/>, its audit path to the checkpointed tree of <paramref name="treeSize"/>, and that checkpoint.</summary>
    /// <exception cref="LedgerProofRequestException">The index or size is out of range, or the size was never checkpointed.</exception>
    /// <exception cref="InvalidDataException">The stored entry, tiles or checkpoint are missing or do not agree.</exception>
    public async Task<LedgerInclusionProof> GetInclusionProofAsync(long leafIndex, long treeSize, CancellationToken cancellationToken = default)
    {
        if (leafIndex < 0 || treeSize < 0)
        {
            throw new LedgerProofRequestException("Leaf index and tree size must not be negative.");
        }

        if (leafIndex >= treeSize)
        {
            throw new LedgerProofRequestException($"Leaf index {leafIndex} is not in a tree of size {treeSize}: the index must be below the size.");
        }

        var (note, root) = await ReadCheckpointAsync(treeSize, cancellationToken).ConfigureAwait(false);
        var entry = await ReadEntryAsync(leafIndex, cancellationToken).ConfigureAwait(false);
        var hashes = await ReadTilesAsync(() => _reader.GetInclusionProofAsync(leafIndex, treeSize, cancellationToken)).ConfigureAwait(false);
        if (!MerkleProofs.VerifyInclusion(leafIndex, treeSize, Rfc6962Hasher.HashLeaf(entry.Span), hashes, root))
        {
            throw new InvalidDataException(
                $"The stored entry {leafIndex} and the tiles of tree size {treeSize} do not rebuild the signed root of {LedgerCheckpointName.Path(treeSize)}; run tenants-verify.");
        }

        return new LedgerInclusionProof(entry, leafIndex, treeSize, hashes, note);
    }

    /// <summary>The consistency proof between the checkpointed trees of <paramref name="fromSize"/> and <paramref name="toSize"/>, and both checkpoints.</summary>
    /// <exception cref="LedgerProofRequestException">A size is negative, the sizes are in the wrong order, or one was never checkpointed.</exception>
    /// <exception cref="InvalidDataException">The stored tiles or checkpoints are missing or do not agree.</exception>
    public async Task<LedgerConsistencyProof> GetConsistencyProofAsync(long fromSize, long toSize, CancellationToken cancellationToken = default)
    {
        if (fromSize < 0 || toSize < 0)
        {
            throw new LedgerProofRequestException("Tree sizes must not be negative.");
        }

        if (fromSize > toSize)
        {
            throw new LedgerProofRequestException($"A tree of size {fromSize} cannot be a prefix of one of size {toSize}: 'from' must not exceed 'to'.");
        }

        var (fromNote, fromRoot) = await ReadCheckpointAsync(fromSize, cancellationToken).ConfigureAwait(false);
        var (toNote, toRoot) = await ReadCheckpointAsync(toSize, cancellationToken).ConfigureAwait(false);
        var hashes = await ReadTilesAsync(() => _reader.GetConsistencyProofAsync(fromSize, toSize, cancellationToken)).ConfigureAwait(false);
        if (!MerkleProofs.VerifyConsistency(fromSize, toSize, fromRoot, toRoot, hashes))
        {
            throw new InvalidDataException(
                $"The tiles of tree size {toSize} do not prove {LedgerCheckpointName.Path(toSize)} consistent with {LedgerCheckpointName.Path(fromSize)}; run tenants-verify.");
        }

        return new LedgerConsistencyProof(fromSize, toSize, hashes, fromNote, toNote);
    }

    private async Task<(string Note, byte[] Root)> ReadCheckpointAsync(long treeSize, CancellationToken cancellationToken)
    {
        string note;
        try
        {
            note = await _store.ReadCheckpointAsync(_tenantId, treeSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException)
        {
            // Stores report a missing blob with the exception their platform uses; all of them mean "no such checkpoint".
            throw new LedgerProofRequestException($"Tree size {treeSize} is not a checkpointed size: proofs are given for signed tree sizes only.", ex);
        }

        var separator = note.IndexOf("\n\n", StringComparison.Ordinal);
        Checkpoint? checkpoint = null;
        string? error = "no blank line before the signatures";
        if (separator < 0 || !Checkpoint.TryParseBody(note[..(separator + 1)], out checkpoint, out error) || checkpoint!.TreeSize != treeSize)
        {
            throw new InvalidDataException(
                $"{LedgerCheckpointName.Path(treeSize)} is not a checkpoint for tree size {treeSize} ({error ?? "it names another size"}); run tenants-verify.");
        }

        return (note, checkpoint.RootHash);
    }

    private async Task<ReadOnlyMemory<byte>> ReadEntryAsync(long leafIndex, CancellationToken cancellationToken)
    {
        // Blocks are listed in leaf order; the first one reaching the index holds it. This lists the blocks below the
        // index (one listing page per 5,000 blocks in Azure), but reads only the one block.
        await foreach (var name in _store.ListBlocksAsync(_tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (name.LastIndex < leafIndex)
            {
                continue;
            }

            if (name.FirstIndex > leafIndex)
            {
                break;
            }

            var block = await _store.ReadBlockAsync(_tenantId, name, cancellationToken).ConfigureAwait(false);
            var offset = leafIndex - name.FirstIndex;
            if (offset < block.Entries.Count)
            {
                return block.Entries[(int)offset];
            }

            break;
        }

        throw new InvalidDataException($"No stored block holds leaf {leafIndex}; run tenants-verify.");
    }

    private static async Task<IReadOnlyList<byte[]>> ReadTilesAsync(Func<Task<IReadOnlyList<byte[]>>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (LedgerTileMissingException ex)
        {
            throw new InvalidDataException(ex.Message + " Run tenants-verify.", ex);
        }
    }
}
