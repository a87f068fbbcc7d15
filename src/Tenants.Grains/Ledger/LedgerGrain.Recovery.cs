using System.Text.Json;
using Tenants.Ledger.Checkpoints;

namespace Tenants.Grains.Ledger;

public sealed partial class LedgerGrain
{
    /// <summary>
    /// Brings the persisted state up to what the blobs say. The tree and its tiles restart from the newest checkpoint's
    /// partial tiles (a handful of blobs), and the blocks sealed after it (a crash between the blob write and the state
    /// write) are re-hashed. Without usable tiles (lost or from before tiles existed) every block is re-hashed and the
    /// tiles up to that checkpoint are written again. The newest checkpoint is the chain's head. Blobs are the truth;
    /// grain state is a cache of them.
    /// </summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var state = _state.State;
        long? newestCheckpoint = null;
        await foreach (var size in _store.ListCheckpointsAsync(TenantId, cancellationToken))
        {
            newestCheckpoint = size;
        }

        var note = newestCheckpoint is { } newest ? await _store.ReadCheckpointAsync(TenantId, newest, cancellationToken) : null;
        var backfillUpTo = await TryRestoreTilesAsync(newestCheckpoint ?? 0, note, cancellationToken) ? 0 : newestCheckpoint ?? 0;
        await foreach (var name in _store.ListBlocksAsync(TenantId, cancellationToken))
        {
            if (name.LastIndex < _tree.Size)
            {
                continue;
            }

            if (name.FirstIndex != _tree.Size)
            {
                throw new InvalidOperationException(
                    $"ledger of tenant '{TenantId}' has {name.Path} but the tree ends at {_tree.Size}: run tenants-verify");
            }

            var block = await _store.ReadBlockAsync(TenantId, name, cancellationToken);
            foreach (var entry in block.Entries)
            {
                AppendLeaf(entry.Span);
            }

            if (_tree.Size <= backfillUpTo)
            {
                await WriteTilesAsync(includePartial: _tree.Size == backfillUpTo, cancellationToken);
            }
        }

        var recovered = state.SealedSize != _tree.Size;
        state.SealedSize = _tree.Size;
        if (newestCheckpoint is { } checkpointSize && (checkpointSize > state.CheckpointSize || state.CheckpointNoteHash is null))
        {
            state.CheckpointSize = checkpointSize;
            state.CheckpointNoteHash = CheckpointExtensions.NoteHash(note!);
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

    /// <summary>
    /// Reads the journal from the dedup window's start: entries before the sealed size only teach the window their
    /// event ids; entries after it were acknowledged but never sealed (a crash, a kill -9, a lost silo) and become the
    /// unsealed tail again, sealed right away. The journal is the write-ahead: nothing acknowledged is lost.
    /// </summary>
    private async Task ReplayJournalAsync(CancellationToken cancellationToken)
    {
        var sealedSize = _state.State.SealedSize;
        await foreach (var journaled in _journal.ReadAsync(TenantId, Math.Max(0, sealedSize - _options.DedupWindow), cancellationToken))
        {
            if (journaled.LeafIndex >= sealedSize)
            {
                if (journaled.LeafIndex != Size)
                {
                    throw new InvalidOperationException(
                        $"the journal of tenant '{TenantId}' has leaf {journaled.LeafIndex} where leaf {Size} was expected: run tenants-verify");
                }

                AddUnsealed(journaled.Entry);
            }

            if (TryReadEventId(journaled.Entry.Span) is { } eventId)
            {
                _dedup.Remember(eventId, journaled.LeafIndex);
            }
        }

        if (_unsealed.Count == 0)
        {
            return;
        }

        LogJournalReplayed(TenantId, sealedSize, _unsealed.Count);
        EnsureTimer();
        try
        {
            await SealAsync(all: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The entries are journaled; the timer seals them when storage is back.
            LogSealFailed(ex, TenantId, _unsealed.Count);
        }
    }

    // The event id of an entry: the first property ("id") of its "event" object (see docs/ledger-format.md).
    private static string? TryReadEventId(ReadOnlySpan<byte> entry)
    {
        try
        {
            var reader = new Utf8JsonReader(entry);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (!reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                    && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : null;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
