using System.Text;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Tests.Tiles;

/// <summary>
/// A log of synthetic leaves whose tiles are written to an in-memory store as the ledger grain writes them: every
/// full tile as it completes, and the partial tiles of each size passed as a checkpoint.
/// </summary>
internal sealed class TileTestLog
{
    public const string Tenant = "tiles";

    private readonly TileBuilder _builder = new();
    private readonly List<byte[]> _leaves = [];

    public InMemoryLedgerStore Store { get; } = new();

    public IReadOnlyList<byte[]> Leaves => _leaves;

    public ILedgerTileSource Source => new LedgerStoreTileSource(Store, Tenant);

    public static byte[] Leaf(long index) => Rfc6962Hasher.HashLeaf(Encoding.UTF8.GetBytes($"leaf {index}"));

    /// <summary>Grows the log to <paramref name="size"/> and writes the tiles of that size, as a checkpoint would.</summary>
    public async Task CheckpointAtAsync(long size)
    {
        while (_builder.Size < size)
        {
            var leaf = Leaf(_builder.Size);
            _leaves.Add(leaf);
            _builder.Append(leaf);
        }

        foreach (var tile in _builder.DrainCompletedTiles().Concat(_builder.GetPartialTiles()))
        {
            await Store.WriteTileAsync(Tenant, tile.Name, tile.Content);
        }
    }

    public IReadOnlyList<byte[]> Prefix(long size) => _leaves.Take((int)size).ToArray();
}
