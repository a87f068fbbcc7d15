using System.Runtime.CompilerServices;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Verify;

/// <summary>
/// A ledger copied to a folder (<c>blocks/*.jsonl.gz</c>, <c>checkpoints/*.note</c>, <c>tile/...</c>), as downloaded
/// from the tenant's blob prefix. Read-only: the verifier never writes.
/// </summary>
internal sealed class DirectoryLedgerStore(string root) : ILedgerReader
{
    public async IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var name in List(LedgerBlockName.Folder).Select(p => LedgerBlockName.TryParse(p, out var n) ? n : (LedgerBlockName?)null).OfType<LedgerBlockName>().OrderBy(n => n.FirstIndex))
        {
            yield return name;
        }
    }

    public async Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(root, name.Path), cancellationToken);
        return LedgerBlock.Decode(name, bytes);
    }

    public async IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var size in List(LedgerCheckpointName.Folder).Select(p => LedgerCheckpointName.TryParse(p, out var s) ? s : -1).Where(s => s >= 0).Order())
        {
            yield return size;
        }
    }

    public Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default) =>
        File.ReadAllTextAsync(Path.Combine(root, LedgerCheckpointName.Path(treeSize)), cancellationToken);

    public async Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(root, tile.Path);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public async IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        var directory = Path.Combine(root, LedgerTileName.Folder);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (LedgerTileName.TryParse(relative, out var name))
            {
                yield return name;
            }
        }
    }

    private IEnumerable<string> List(string folder)
    {
        var directory = Path.Combine(root, folder);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(f => folder + Path.GetFileName(f))
            : [];
    }
}
