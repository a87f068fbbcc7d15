using System.Runtime.InteropServices;
using Tenants.Ledger.Tiles;

namespace Tenants.Bench.Ledger;

/// <summary>
/// Hash tiles held in memory, as a <see cref="TileBuilder"/> handed them out: no storage latency, so what a proof
/// benchmark over it measures is the proof reader itself. Counts the reads that found a tile and those that did not.
/// </summary>
internal sealed class InMemoryTileSource : ILedgerTileSource
{
    private static readonly Task<byte[]?> Missing = Task.FromResult<byte[]?>(null);
    private readonly Dictionary<LedgerTileName, byte[]> _tiles = [];

    /// <summary>Tiles stored.</summary>
    public int Count => _tiles.Count;

    /// <summary>Bytes of tile content stored.</summary>
    public long Bytes { get; private set; }

    /// <summary>Reads that returned a tile.</summary>
    public long Hits { get; private set; }

    /// <summary>Reads of a tile that is not stored (a partial tile superseded by its full tile).</summary>
    public long Misses { get; private set; }

    /// <summary>Stores the tiles; a tile of the same name replaces the one stored.</summary>
    public void Add(IEnumerable<LedgerTile> tiles)
    {
        foreach (var tile in tiles)
        {
            // The builder hands over each tile's own array: keep it rather than a copy when the memory is all of it.
            var content = MemoryMarshal.TryGetArray(tile.Content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : tile.Content.ToArray();
            if (_tiles.TryGetValue(tile.Name, out var previous))
            {
                Bytes -= previous.Length;
            }

            _tiles[tile.Name] = content;
            Bytes += content.Length;
        }
    }

    /// <inheritdoc />
    public Task<byte[]?> ReadTileAsync(LedgerTileName name, CancellationToken cancellationToken = default)
    {
        if (_tiles.TryGetValue(name, out var content))
        {
            Hits++;
            return Task.FromResult<byte[]?>(content);
        }

        Misses++;
        return Missing;
    }
}
