using Tenants.Abstractions.Ledger;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Ledger;

/// <summary>
/// Journaled, not yet sealed entries, and how they are cut into blocks: by count, by bytes, or (on the timer) by age.
/// </summary>
public sealed partial class LedgerGrain
{
    // One seal or checkpoint at a time; appends never wait for it. The activation is single-threaded, so a flag and a
    // queue of waiters make the gate (a SemaphoreSlim would be a disposable a grain cannot dispose).
    private readonly Queue<TaskCompletionSource> _sealGateWaiters = new();
    private bool _sealGateHeld;

    // Journaled entries after the sealed tree, in leaf order: leaf SealedSize + i is _unsealed[i].
    private readonly List<ReadOnlyMemory<byte>> _unsealed = [];
    private long _unsealedBytes;
    private long _unsealedSince;

    // The entry count of a block whose write failed, retried with the same bounds.
    private int? _sealing;
    private bool _sealingInBackground;

    private Task EnterSealGateAsync()
    {
        if (!_sealGateHeld)
        {
            _sealGateHeld = true;
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sealGateWaiters.Enqueue(waiter);
        return waiter.Task;
    }

    private void LeaveSealGate()
    {
        if (_sealGateWaiters.TryDequeue(out var next))
        {
            next.SetResult();
        }
        else
        {
            _sealGateHeld = false;
        }
    }

    private bool BlockIsFull() => _unsealed.Count >= _options.MaxBlockEntries || _unsealedBytes >= _options.MaxBlockBytes;

    // As many entries as fit the count and byte limits (each with its line feed), at least one.
    private int NextBlockCount()
    {
        var count = 0;
        long bytes = 0;
        while (count < _unsealed.Count && count < _options.MaxBlockEntries)
        {
            var next = _unsealed[count].Length + 1;
            if (count > 0 && bytes + next > _options.MaxBlockBytes)
            {
                break;
            }

            bytes += next;
            count++;
        }

        return count;
    }

    private void AddUnsealed(ReadOnlyMemory<byte> entry)
    {
        if (_unsealed.Count == 0)
        {
            _unsealedSince = _time.GetTimestamp();
        }

        _unsealed.Add(entry);
        _unsealedBytes += entry.Length + 1;
    }

    private void RemoveSealed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _unsealedBytes -= _unsealed[i].Length + 1;
        }

        _unsealed.RemoveRange(0, count);
        _unsealedSince = _time.GetTimestamp();
    }

    // A block blob that already exists is this activation's own earlier write that landed after reporting a failure
    // (same bounds, same bytes): sealed. Anything else there means another writer sealed these leaves: stop.
    private async Task WriteBlockAsync(LedgerBlock block, CancellationToken cancellationToken)
    {
        try
        {
            // Compressing a block takes milliseconds of CPU: off the activation's thread, so appends go on meanwhile.
            await Task.Run(() => _store.WriteBlockAsync(TenantId, block, cancellationToken), cancellationToken);
        }
        catch (LedgerBlobExistsException ex)
        {
            var stored = await _store.ReadBlockAsync(TenantId, block.Name, cancellationToken);
            if (stored.Entries.Count == block.Entries.Count
                && stored.Entries.Zip(block.Entries).All(pair => pair.First.Span.SequenceEqual(pair.Second.Span)))
            {
                return;
            }

            Stop(ex);
            throw new LedgerUnavailableException($"block {block.Name.Path} was written by another activation", ex);
        }
    }

    // Full blocks are sealed as soon as they are journaled, off the append path: the flusher does not wait for it.
    private void SealFullBlocksInBackground()
    {
        if (_sealingInBackground || !BlockIsFull())
        {
            return;
        }

        _sealingInBackground = true;
        _ = SealInBackgroundAsync();
    }

    private async Task SealInBackgroundAsync()
    {
        try
        {
            await SealAsync(all: false, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Storage is unavailable: the entries stay journaled and unsealed; the timer tries again.
            LogSealFailed(ex, TenantId, _unsealed.Count);
        }
        finally
        {
            _sealingInBackground = false;
        }
    }
}
