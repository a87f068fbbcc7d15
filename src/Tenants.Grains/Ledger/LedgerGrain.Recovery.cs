using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;

namespace Tenants.Grains.Ledger;

public sealed partial class LedgerGrain
{
    /// <summary>
    /// Brings the persisted state up to what the blobs say: blocks sealed after the state was last saved (a crash
    /// between the blob write and the state write, or lost grain state) are re-hashed into the tree, and the newest
    /// checkpoint is taken as the chain's head. Blobs are the truth; grain state is a cache of them.
    /// </summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var state = _state.State;
        var recovered = false;
        await foreach (var name in _store.ListBlocksAsync(TenantId, cancellationToken))
        {
            if (name.LastIndex < state.SealedSize)
            {
                continue;
            }

            if (name.FirstIndex != state.SealedSize)
            {
                throw new InvalidOperationException(
                    $"ledger of tenant '{TenantId}' has {name.Path} but the tree ends at {state.SealedSize}: run tenants-verify");
            }

            var block = await _store.ReadBlockAsync(TenantId, name, cancellationToken);
            foreach (var entry in block.Entries)
            {
                _tree.Append(Rfc6962Hasher.HashLeaf(entry.Span));
            }

            state.SealedSize = _tree.Size;
            recovered = true;
        }

        long? newestCheckpoint = null;
        await foreach (var size in _store.ListCheckpointsAsync(TenantId, cancellationToken))
        {
            newestCheckpoint = size;
        }

        if (newestCheckpoint is { } checkpointSize && (checkpointSize > state.CheckpointSize || state.CheckpointNoteHash is null))
        {
            var note = await _store.ReadCheckpointAsync(TenantId, checkpointSize, cancellationToken);
            state.CheckpointSize = checkpointSize;
            state.CheckpointNoteHash = CheckpointExtensions.NoteHash(note);
            state.CheckpointTime = null;
            recovered = true;
        }

        if (recovered)
        {
            state.Frontier = [.. _tree.Hashes];
            await _state.WriteStateAsync(cancellationToken);
            LogRecovered(TenantId, state.SealedSize, state.CheckpointSize);
        }

        if (state.SealedSize > state.CheckpointSize)
        {
            EnsureTimer();
        }
    }
}
