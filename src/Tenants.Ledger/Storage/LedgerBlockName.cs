using System.Globalization;

namespace Tenants.Ledger.Storage;

/// <summary>
/// The name of a sealed block: the inclusive range of leaf indices it holds. Rendered as
/// <c>blocks/&lt;first&gt;-&lt;last&gt;.jsonl.gz</c> with 20-digit zero padding so that listing order is leaf order.
/// </summary>
public readonly record struct LedgerBlockName(long FirstIndex, long LastIndex)
{
    /// <summary>The folder all blocks are under.</summary>
    public const string Folder = "blocks/";
    private const string Suffix = ".jsonl.gz";

    /// <summary>Number of entries in the block.</summary>
    public long Count => LastIndex - FirstIndex + 1;

    /// <summary>The blob path relative to the tenant's ledger root.</summary>
    public string Path => string.Create(CultureInfo.InvariantCulture, $"{Folder}{FirstIndex:D20}-{LastIndex:D20}{Suffix}");

    /// <inheritdoc />
    public override string ToString() => Path;

    /// <summary>Parses a path produced by <see cref="Path"/>.</summary>
    public static bool TryParse(string path, out LedgerBlockName name)
    {
        name = default;
        if (!path.StartsWith(Folder, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var range = path.AsSpan(Folder.Length, path.Length - Folder.Length - Suffix.Length);
        var dash = range.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
        {
            return false;
        }

        name = new LedgerBlockName(first, last);
        return true;
    }
}
