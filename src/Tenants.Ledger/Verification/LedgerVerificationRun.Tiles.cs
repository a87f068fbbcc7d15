using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Verification;

/// <summary>
/// Full-log fsck of the hash tiles: every stored tile must equal the tile recomputed from the entries (a partial tile
/// the first entries of its full tile), and when tiles are stored at all, every tile a checkpointed size needs for its
/// proofs must be there. Tile problems are reported after the entry and checkpoint problems, which they follow from.
/// </summary>
internal sealed partial class LedgerVerificationRun
{
    private readonly TileBuilder _tileBuilder = new();
    private readonly List<LedgerProblem> _tileProblems = [];
    private readonly HashSet<LedgerTileName> _storedTiles = [];
    private readonly Dictionary<(int Level, long Index), List<LedgerTileName>> _uncheckedTiles = [];
    private bool _tilesComparable = true;
    private int _tilesChecked;

    public async Task ListTilesAsync(CancellationToken ct)
    {
        await foreach (var name in _store.ListTilesAsync(_tenantId, ct).ConfigureAwait(false))
        {
            _storedTiles.Add(name);
            var key = (name.Level, name.Index);
            if (!_uncheckedTiles.TryGetValue(key, out var names))
            {
                _uncheckedTiles[key] = names = [];
            }

            names.Add(name);
        }
    }

    // Compares the stored versions of every tile the entries read so far have completed.
    private async Task CheckCompletedTilesAsync(CancellationToken ct)
    {
        var completed = _tileBuilder.DrainCompletedTiles();
        if (_tileBuilder.Size != _position)
        {
            // Entries are missing, so recomputed tiles no longer line up with the stored ones.
            _tilesComparable = false;
        }

        if (!_tilesComparable)
        {
            return;
        }

        foreach (var tile in completed)
        {
            await CheckTileGroupAsync(tile, ct).ConfigureAwait(false);
        }
    }

    private async Task FinishTilesAsync(CancellationToken ct)
    {
        await CheckCompletedTilesAsync(ct).ConfigureAwait(false);
        if (_tilesComparable)
        {
            foreach (var tile in _tileBuilder.GetPartialTiles())
            {
                await CheckTileGroupAsync(tile, ct).ConfigureAwait(false);
            }

            foreach (var name in _uncheckedTiles.Values.SelectMany(n => n).OrderBy(n => n.Level).ThenBy(n => n.Index))
            {
                AddTileProblem(name, $"hash value doesn't match: the tile covers leaves beyond the {_position} entries present");
            }
        }
        else
        {
            Line(TileKind, LedgerTileName.Folder, "unverified: tiles not compared because entries are missing");
        }

        CheckNeededTilesPresent();
        foreach (var problem in _tileProblems)
        {
            _problems.Add(problem);
            Line(TileKind, problem.Location, Invalid(problem.Message));
        }

        if (_tileProblems.Count == 0 && _tilesChecked > 0)
        {
            Line(TileKind, LedgerTileName.Folder, $"{Valid}: {_tilesChecked} tiles match the entries");
        }
    }

    private async Task CheckTileGroupAsync(LedgerTile expected, CancellationToken ct)
    {
        if (!_uncheckedTiles.Remove((expected.Name.Level, expected.Name.Index), out var stored))
        {
            return;
        }

        foreach (var name in stored.OrderBy(n => n.Width))
        {
            _tilesChecked++;
            if (name.Width > expected.Name.Width)
            {
                AddTileProblem(name, $"hash value doesn't match: the tile covers leaves beyond the {_position} entries present");
                continue;
            }

            byte[]? content;
            try
            {
                content = await _store.ReadTileAsync(_tenantId, name, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                AddTileProblem(name, "not found: " + ex.Message);
                continue;
            }

            if (content is null)
            {
                AddTileProblem(name, "not found: listed but could not be read");
            }
            else if (!content.AsSpan().SequenceEqual(expected.Content.Span[..name.ContentLength]))
            {
                AddTileProblem(name, "hash value doesn't match: the tile differs from the one recomputed from the entries");
            }
        }
    }

    // A ledger written before tiles existed has none, which is not a fault; once tiles are written, every tile that a
    // checkpointed size's proofs read must be stored (its partial tile, or the full tile that superseded it).
    private void CheckNeededTilesPresent()
    {
        var signedSizes = _checkpoints.Where(s => s > 0 && s <= _position).ToArray();
        if (signedSizes.Length == 0)
        {
            return;
        }

        if (_storedTiles.Count == 0)
        {
            Line(InfoKind, LedgerTileName.Folder, "no hash tiles stored: proofs cannot be served from tiles (a ledger written before tiles existed)");
            return;
        }

        var largest = signedSizes.Max();
        for (var level = 0; level < LedgerTileName.MaxLevels && (largest >> (LedgerTileName.Height * level)) > 0; level++)
        {
            var fullTiles = (largest >> (LedgerTileName.Height * level)) / LedgerTileName.FullWidth;
            for (var index = 0L; index < fullTiles; index++)
            {
                RequireTile(new LedgerTileName(level, index, LedgerTileName.FullWidth), largest);
            }
        }

        foreach (var size in signedSizes)
        {
            foreach (var name in LedgerTileName.PartialTilesFor(size))
            {
                if (!_storedTiles.Contains(name.Full))
                {
                    RequireTile(name, size);
                }
            }
        }
    }

    private void RequireTile(LedgerTileName name, long treeSize)
    {
        if (_storedTiles.Add(name))
        {
            // Added now, so it was not stored; report it once.
            AddTileProblem(name, $"not found: needed to prove tree size {treeSize} ({LedgerCheckpointName.Path(treeSize)})");
        }
    }

    private void AddTileProblem(LedgerTileName name, string message) =>
        _tileProblems.Add(new LedgerProblem(name.Path, name.Index * LedgerTileName.FullWidth * LedgerTileName.LeavesPerEntry(name.Level), null, message));
}
