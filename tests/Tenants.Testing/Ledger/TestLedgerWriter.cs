using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Testing.Ledger;

/// <summary>
/// Writes a ledger the way the service will: sealed blocks, each followed by the hash tiles of the new size and a
/// chained signed checkpoint. Entries come from <paramref name="entryFactory"/> (origin, tenant, leaf index),
/// <see cref="Entry"/> by default.
/// </summary>
public sealed class TestLedgerWriter(
    ILedgerStore store,
    TestLedgerSigner signer,
    string tenantId,
    string origin,
    Func<string, string, long, byte[]>? entryFactory = null)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly CompactRange _tree = new();
    private readonly TileBuilder _tiles = new();
    private string? _previousNote;
    private long _previousSize;

    /// <summary>The compact range of everything appended so far.</summary>
    public CompactRange Frontier => _tree.Clone();

    public static byte[] Entry(string origin, string tenantId, long index) =>
        LedgerEntryWriter.Write(
            new LedgerEntryHeader(origin, tenantId, index, Start.AddMilliseconds(index), "statement"),
            w => w.WriteString("sql", $"SELECT {index}"));

    /// <summary>Seals the next <paramref name="count"/> entries as one block; returns the bytes of those entries.</summary>
    public async Task<long> AppendBlockAsync(int count, bool checkpoint = true)
    {
        var factory = entryFactory ?? Entry;
        long bytes = 0;
        var first = _tree.Size;
        var entries = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < count; i++)
        {
            var entry = factory(origin, tenantId, first + i);
            bytes += entry.Length;
            entries.Add(entry);
            var leaf = Rfc6962Hasher.HashLeaf(entry);
            _tree.Append(leaf);
            _tiles.Append(leaf);
        }

        await store.WriteBlockAsync(tenantId, new LedgerBlock(new LedgerBlockName(first, first + count - 1), entries));
        if (checkpoint)
        {
            await CheckpointAsync();
        }

        return bytes;
    }

    public async Task<string> CheckpointAsync()
    {
        var size = _tree.Size;
        foreach (var tile in _tiles.DrainCompletedTiles().Concat(_tiles.GetPartialTiles()))
        {
            await store.WriteTileAsync(tenantId, tile.Name, tile.Content);
        }

        var extensions = CheckpointExtensions.Create(Start.AddMinutes(size), _previousNote, _previousSize, size, signer.PublicKey);
        var note = await CheckpointNote.SignAsync(new Checkpoint(origin, size, _tree.GetRootHash(), extensions), signer);
        await store.WriteCheckpointAsync(tenantId, size, note);
        _previousNote = note;
        _previousSize = size;
        return note;
    }
}
