using System.Globalization;

namespace Tenants.Ledger.Storage;

/// <summary>
/// Blob paths of checkpoint notes: <c>checkpoints/&lt;size&gt;.note</c> with the tree size zero-padded to 20 digits
/// so that listing order is size order.
/// </summary>
public static class LedgerCheckpointName
{
    /// <summary>The folder all checkpoints are under.</summary>
    public const string Folder = "checkpoints/";
    private const string Suffix = ".note";
    private const int Digits = 20;

    /// <summary>The blob path, relative to the tenant's ledger root, of the checkpoint for <paramref name="treeSize"/>.</summary>
    public static string Path(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return string.Create(CultureInfo.InvariantCulture, $"{Folder}{treeSize:D20}{Suffix}");
    }

    /// <summary>Parses a path produced by <see cref="Path"/>.</summary>
    public static bool TryParse(string path, out long treeSize)
    {
        treeSize = 0;
        if (path is null
            || path.Length != Folder.Length + Digits + Suffix.Length
            || !path.StartsWith(Folder, StringComparison.Ordinal)
            || !path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        return long.TryParse(path.AsSpan(Folder.Length, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out treeSize);
    }
}
