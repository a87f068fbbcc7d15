using System.Globalization;
using System.Text;

namespace Tenants.Ledger.Tiles;

/// <summary>
/// The address of a hash tile in the C2SP tlog-tiles layout: <c>tile/&lt;L&gt;/&lt;N&gt;</c> for a full tile of
/// 256 hashes, <c>tile/&lt;L&gt;/&lt;N&gt;.p/&lt;W&gt;</c> for a partial tile holding its first <c>W</c> (1..255)
/// hashes. <c>N</c> is written in 3-digit groups, every group but the last prefixed with <c>x</c>
/// (<c>1234067</c> is <c>x001/x234/067</c>). Entry <c>i</c> of level <c>L</c> tile <c>N</c> is the Merkle tree hash
/// of the <c>256^L</c> leaves starting at <c>(N * 256 + i) * 256^L</c>.
/// </summary>
/// <param name="Level">The tile level: 0 holds leaf hashes, level <c>L</c> the roots of level <c>L - 1</c> tiles.</param>
/// <param name="Index">The tile's index within its level.</param>
/// <param name="Width">Hashes in the tile: <see cref="FullWidth"/> for a full tile, fewer for a partial one.</param>
public readonly record struct LedgerTileName(int Level, long Index, int Width)
{
    /// <summary>The folder all hash tiles are under.</summary>
    public const string Folder = "tile/";

    /// <summary>Tree levels per tile: a tile is a perfect subtree of height 8.</summary>
    public const int Height = 8;

    /// <summary>Hashes in a full tile.</summary>
    public const int FullWidth = 1 << Height;

    /// <summary>Tile levels a tree of at most <see cref="long.MaxValue"/> leaves can have (256^8 = 2^64).</summary>
    public const int MaxLevels = 8;

    private const string PartialMarker = ".p/";

    /// <summary>Whether the tile holds all 256 hashes (and so never changes again).</summary>
    public bool IsFull => Width == FullWidth;

    /// <summary>Length in bytes of the tile's content: <see cref="Width"/> hashes of 32 bytes.</summary>
    public int ContentLength => Width * Merkle.Rfc6962Hasher.HashSize;

    /// <summary>The full tile at the same level and index.</summary>
    public LedgerTileName Full => this with { Width = FullWidth };

    /// <summary>The blob path relative to the tenant's ledger root.</summary>
    public string Path
    {
        get
        {
            Check();
            var path = new StringBuilder(Folder);
            path.Append(CultureInfo.InvariantCulture, $"{Level}/");
            AppendIndex(path, Index);
            if (!IsFull)
            {
                path.Append(CultureInfo.InvariantCulture, $"{PartialMarker}{Width}");
            }

            return path.ToString();
        }
    }

    /// <summary>Leaves below one entry of a tile at <paramref name="level"/>: 256^level.</summary>
    public static long LeavesPerEntry(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, MaxLevels);
        return 1L << (Height * level);
    }

    /// <summary>
    /// The partial tiles that describe the tree of <paramref name="treeSize"/> leaves: one per level whose last tile
    /// is not full, lowest level first. Together with the full tiles below them they give every hash of that tree.
    /// </summary>
    public static IReadOnlyList<LedgerTileName> PartialTilesFor(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var names = new List<LedgerTileName>();
        var entries = treeSize;
        for (var level = 0; entries > 0; level++)
        {
            var width = (int)(entries % FullWidth);
            if (width > 0)
            {
                names.Add(new LedgerTileName(level, entries / FullWidth, width));
            }

            entries /= FullWidth;
        }

        return names;
    }

    /// <inheritdoc />
    public override string ToString() => Path;

    /// <summary>Parses a path produced by <see cref="Path"/>; non-canonical spellings are rejected.</summary>
    public static bool TryParse(string path, out LedgerTileName name)
    {
        name = default;
        if (path is null || !path.StartsWith(Folder, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path.AsSpan(Folder.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !TryParseNumber(rest[..slash], out var level) || level >= MaxLevels)
        {
            return false;
        }

        rest = rest[(slash + 1)..];
        var width = FullWidth;
        var marker = rest.IndexOf(PartialMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            if (!TryParseNumber(rest[(marker + PartialMarker.Length)..], out var w) || w is < 1 or >= FullWidth)
            {
                return false;
            }

            width = (int)w;
            rest = rest[..marker];
        }

        if (!TryParseIndex(rest, out var index))
        {
            return false;
        }

        name = new LedgerTileName((int)level, index, width);
        return name.Path == path;
    }

    private void Check()
    {
        if (Level is < 0 or >= MaxLevels || Index < 0 || Width is < 1 or > FullWidth)
        {
            throw new ArgumentOutOfRangeException(
                nameof(LedgerTileName), $"No tile at level {Level}, index {Index}, width {Width}: levels are 0-{MaxLevels - 1}, widths 1-{FullWidth}.");
        }
    }

    private static void AppendIndex(StringBuilder path, long index)
    {
        var groups = new Stack<long>();
        do
        {
            groups.Push(index % 1000);
            index /= 1000;
        }
        while (index > 0);

        while (groups.Count > 1)
        {
            path.Append(CultureInfo.InvariantCulture, $"x{groups.Pop():D3}/");
        }

        path.Append(CultureInfo.InvariantCulture, $"{groups.Pop():D3}");
    }

    private static bool TryParseIndex(ReadOnlySpan<char> text, out long index)
    {
        index = 0;
        while (true)
        {
            var slash = text.IndexOf('/');
            var group = slash < 0 ? text : text[..slash];
            if (slash >= 0)
            {
                if (group.Length != 4 || group[0] != 'x')
                {
                    return false;
                }

                group = group[1..];
            }

            if (group.Length != 3 || !TryParseNumber(group, out var value) || index > (long.MaxValue - value) / 1000)
            {
                return false;
            }

            index = (index * 1000) + value;
            if (slash < 0)
            {
                return true;
            }

            text = text[(slash + 1)..];
        }
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
