using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Testing.Ledger;

/// <summary>
/// A test-only ledger store over raw blobs in memory: create-only like the real one, blocks stored gzip-compressed,
/// the journal as growing segments rolled every <paramref name="journalAppendsPerSegment"/> appends, plus tamper
/// methods that do what an attacker with storage access could (the service never does). It is the journal too
/// (<see cref="ILedgerJournal"/>, kept as segments like <c>BlobLedgerJournal</c>).
/// </summary>
public sealed class InMemoryLedgerStore(int journalAppendsPerSegment = 1_000, int journalMaxAppendBytes = 4 << 20) : ILedgerStore, ILedgerJournal
{
    private readonly ConcurrentDictionary<(string Tenant, string Path), byte[]> _blobs = new();
    private readonly Lock _journalLock = new();
    private int _tileReads;

    public Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default)
    {
        Create(tenantId, block.Name.Path, block.Encode());
        return Task.CompletedTask;
    }

    public Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default)
    {
        Create(tenantId, LedgerCheckpointName.Path(treeSize), Encoding.UTF8.GetBytes(note));
        return Task.CompletedTask;
    }

#pragma warning disable CS1998 // Async iterators over in-memory data have nothing to await.
    public async IAsyncEnumerable<string> ListTenantsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var tenant in _blobs.Keys.Select(k => k.Tenant).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            yield return tenant;
        }
    }

    public async IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var path in Paths(tenantId))
        {
            if (LedgerBlockName.TryParse(path, out var name))
            {
                yield return name;
            }
        }
    }

    public async IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var path in Paths(tenantId))
        {
            if (LedgerCheckpointName.TryParse(path, out var size))
            {
                yield return size;
            }
        }
    }
#pragma warning restore CS1998

    public Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default)
    {
        return Task.FromResult(LedgerBlock.Decode(name, Read(tenantId, name.Path)));
    }

    public Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default) =>
        Task.FromResult(Encoding.UTF8.GetString(Read(tenantId, LedgerCheckpointName.Path(treeSize))));

    // Hash tiles: create-only, but an identical re-write (a retry) succeeds, as in the real store.
    public Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var bytes = content.ToArray();
        if (!_blobs.TryAdd((tenantId, tile.Path), bytes) && !_blobs[(tenantId, tile.Path)].AsSpan().SequenceEqual(bytes))
        {
            throw new LedgerBlobExistsException($"{tile.Path} already exists with different content.");
        }

        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _tileReads);
        return Task.FromResult(_blobs.TryGetValue((tenantId, tile.Path), out var raw) ? (byte[]?)raw.Clone() : null);
    }

    /// <summary>How many times a tile was read, so tests can see that proofs do not read everything.</summary>
    public int TileReads => _tileReads;

#pragma warning disable CS1998 // Async iterators over in-memory data have nothing to await.
    public async IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var path in Paths(tenantId))
        {
            if (LedgerTileName.TryParse(path, out var name))
            {
                yield return name;
            }
        }
    }
#pragma warning restore CS1998

    public IReadOnlyList<string> Paths(string tenantId) =>
        _blobs.Keys.Where(k => k.Tenant == tenantId).Select(k => k.Path).Order(StringComparer.Ordinal).ToArray();

    public byte[] GetRaw(string tenantId, string path) => (byte[])Read(tenantId, path).Clone();

    /// <summary>A block's uncompressed content (its lines), as a tamperer would see it after gunzip.</summary>
    public byte[] GetBlockContent(string tenantId, LedgerBlockName name) =>
        LedgerBlockCodec.Decompress(Read(tenantId, name.Path), LedgerBlockCodec.MaxBlockBytes);

    /// <summary>Tamper: replaces a block with other (uncompressed) content, compressed as the writer would.</summary>
    public void ReplaceBlockContent(string tenantId, LedgerBlockName name, byte[] content) =>
        ReplaceRaw(tenantId, name.Path, LedgerBlockCodec.Compress(content));

    /// <summary>Tamper: appends raw bytes to a blob (a torn or foreign journal record).</summary>
    public void AppendRaw(string tenantId, string path, byte[] content)
    {
        lock (_journalLock)
        {
            _blobs[(tenantId, path)] = [.. Read(tenantId, path), .. content];
        }
    }

    public Task AppendJournalAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default)
    {
        var runs = LedgerJournalRecord.Plan(entries, journalMaxAppendBytes);
        lock (_journalLock)
        {
            var segments = JournalSegments(tenantId);
            string? path = null;
            LedgerJournalSegment? tail = null;
            if (segments.Count > 0)
            {
                path = LedgerJournalSegmentName.Path(segments[^1]);
                tail = LedgerJournalRecord.ReadSegment(path, segments[^1], Read(tenantId, path));
                if (firstLeafIndex < tail.NextLeafIndex)
                {
                    throw new LedgerJournalConflictException($"{path}: leaf {firstLeafIndex} is already journaled.");
                }

                if (firstLeafIndex > tail.NextLeafIndex)
                {
                    throw new InvalidOperationException($"The journal ends before leaf {tail.NextLeafIndex}; appending from {firstLeafIndex} would leave a gap.");
                }
            }

            var leaf = firstLeafIndex;
            var appends = tail?.Records ?? 0;
            foreach (var run in runs)
            {
                var (offset, count) = run.GetOffsetAndLength(entries.Count);
                var record = LedgerJournalRecord.Encode(leaf, entries.Skip(offset).Take(count).ToArray());
                if (path is null || tail?.Torn == true || appends >= journalAppendsPerSegment)
                {
                    path = LedgerJournalSegmentName.Path(leaf);
                    Create(tenantId, path, []);
                    tail = null;
                    appends = 0;
                }

                _blobs[(tenantId, path)] = [.. Read(tenantId, path), .. record];
                appends++;
                leaf += count;
            }
        }

        return Task.CompletedTask;
    }

    public IAsyncEnumerable<LedgerJournalEntry> ReadJournalAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken = default) =>
        LedgerJournalReader.ReadAsync(
            JournalSegments(tenantId),
            (first, _) => Task.FromResult<ReadOnlyMemory<byte>>(Read(tenantId, LedgerJournalSegmentName.Path(first))),
            fromLeafIndex,
            cancellationToken);

    /// <summary>Deletes whole journal segments below <paramref name="belowLeafIndex"/>, never the last one (as <c>BlobLedgerJournal</c>).</summary>
    public Task TrimJournalAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default)
    {
        lock (_journalLock)
        {
            var segments = JournalSegments(tenantId);
            for (var i = 0; i + 1 < segments.Count && segments[i + 1] <= belowLeafIndex; i++)
            {
                _blobs.TryRemove((tenantId, LedgerJournalSegmentName.Path(segments[i])), out _);
            }
        }

        return Task.CompletedTask;
    }

    Task ILedgerJournal.AppendAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken) =>
        AppendJournalAsync(tenantId, firstLeafIndex, entries, cancellationToken);

    IAsyncEnumerable<LedgerJournalEntry> ILedgerJournal.ReadAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken) =>
        ReadJournalAsync(tenantId, fromLeafIndex, cancellationToken);

    Task ILedgerJournal.TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken) =>
        TrimJournalAsync(tenantId, belowLeafIndex, cancellationToken);

    /// <summary>Tamper: overwrites (or creates) a blob, bypassing create-only.</summary>
    public void ReplaceRaw(string tenantId, string path, byte[] content) => _blobs[(tenantId, path)] = content;

    /// <summary>Tamper: deletes a blob.</summary>
    public void Delete(string tenantId, string path)
    {
        if (!_blobs.TryRemove((tenantId, path), out _))
        {
            throw new InvalidOperationException($"No blob {path}.");
        }
    }

    private void Create(string tenantId, string path, byte[] content)
    {
        if (!_blobs.TryAdd((tenantId, path), content))
        {
            throw new LedgerBlobExistsException($"{path} already exists.");
        }
    }

    private List<long> JournalSegments(string tenantId) =>
        [.. Paths(tenantId).Select(p => LedgerJournalSegmentName.TryParse(p, out var first) ? first : -1).Where(first => first >= 0)];

    private byte[] Read(string tenantId, string path) =>
        _blobs.TryGetValue((tenantId, path), out var raw) ? raw : throw new FileNotFoundException($"{path} does not exist.");
}
