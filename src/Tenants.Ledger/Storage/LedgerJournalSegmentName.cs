using System.Globalization;

namespace Tenants.Ledger.Storage;

/// <summary>
/// Blob paths of journal segments: <c>journal/&lt;first leaf index&gt;.log</c>, zero-padded to 20 digits so that listing
/// order is leaf order. A segment is an append blob of <see cref="LedgerJournalRecord"/>s starting at that leaf.
/// </summary>
public static class LedgerJournalSegmentName
{
    /// <summary>The folder all journal segments are under.</summary>
    public const string Folder = "journal/";
    private const string Suffix = ".log";
    private const int Digits = 20;

    /// <summary>The blob path, relative to the tenant's ledger root, of the segment starting at <paramref name="firstLeafIndex"/>.</summary>
    public static string Path(long firstLeafIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstLeafIndex);
        return string.Create(CultureInfo.InvariantCulture, $"{Folder}{firstLeafIndex:D20}{Suffix}");
    }

    /// <summary>Parses a path produced by <see cref="Path"/>.</summary>
    public static bool TryParse(string path, out long firstLeafIndex)
    {
        firstLeafIndex = 0;
        if (path is null
            || path.Length != Folder.Length + Digits + Suffix.Length
            || !path.StartsWith(Folder, StringComparison.Ordinal)
            || !path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        return long.TryParse(path.AsSpan(Folder.Length, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out firstLeafIndex);
    }
}
