using System.Collections.Concurrent;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>
/// A real ledger store and journal seen through a switch, as one silo would see them: journal appends can be held in flight (to
/// watch group commit), and storage can be made unreachable (an outage, or a silo killed: it writes nothing more).
/// Unreachable storage throws what an HTTP client gives when the storage account does not answer.
/// </summary>
public sealed class ControllableLedgerStore(ILedgerStore inner, ILedgerJournal journal) : ILedgerStore, ILedgerJournal
{
    private readonly ConcurrentQueue<(long First, int Count)> _journalAppends = new();
    private TaskCompletionSource? _hold;
    private int _journalAppendsStarted;

    /// <summary>When true, every read and write fails as if storage did not answer.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Journal appends that completed: first leaf and entry count of each.</summary>
    public IReadOnlyList<(long First, int Count)> JournalAppends => [.. _journalAppends];

    /// <summary>Journal appends that have started (held ones included).</summary>
    public int JournalAppendsStarted => Volatile.Read(ref _journalAppendsStarted);

    /// <summary>Holds every journal append in flight until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held journal appends go on.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.SetResult();

    public async Task AppendAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _journalAppendsStarted);
        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        Check();
        await journal.AppendAsync(tenantId, firstLeafIndex, entries, cancellationToken);
        _journalAppends.Enqueue((firstLeafIndex, entries.Count));
    }

    public IAsyncEnumerable<LedgerJournalEntry> ReadAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken = default)
    {
        Check();
        return journal.ReadAsync(tenantId, fromLeafIndex, cancellationToken);
    }

    public Task TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default)
    {
        Check();
        return journal.TrimAsync(tenantId, belowLeafIndex, cancellationToken);
    }

    public Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.WriteBlockAsync(tenantId, block, cancellationToken);
    }

    public Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.WriteCheckpointAsync(tenantId, treeSize, note, cancellationToken);
    }

    public Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.WriteTileAsync(tenantId, tile, content, cancellationToken);
    }

    public IAsyncEnumerable<string> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ListTenantsAsync(cancellationToken);
    }

    public IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ListBlocksAsync(tenantId, cancellationToken);
    }

    public Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ReadBlockAsync(tenantId, name, cancellationToken);
    }

    public IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ListCheckpointsAsync(tenantId, cancellationToken);
    }

    public Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ReadCheckpointAsync(tenantId, treeSize, cancellationToken);
    }

    public Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ReadTileAsync(tenantId, tile, cancellationToken);
    }

    public IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.ListTilesAsync(tenantId, cancellationToken);
    }

    private void Check()
    {
        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused (the test switched storage off)");
        }
    }
}
