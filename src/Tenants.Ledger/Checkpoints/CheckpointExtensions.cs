using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Signing;

namespace Tenants.Ledger.Checkpoints;

/// <summary>
/// The extension lines a ledger checkpoint carries, all covered by the log signature:
/// <c>time &lt;UTC time&gt;</c>, <c>prev &lt;base64 SHA-256 of the previous full note&gt;</c> (or <c>prev -</c>),
/// <c>range &lt;first&gt;-&lt;last&gt;</c> (the leaves added since the previous checkpoint, or <c>range -</c>) and
/// <c>key &lt;name&gt;+&lt;8 hex digit key id&gt; &lt;key version&gt;</c> (the version is absent in checkpoints written before
/// key versions were recorded, and when the key has none).
/// </summary>
public static class CheckpointExtensions
{
    /// <summary>The value of <c>prev</c> and <c>range</c> when there is nothing before.</summary>
    public const string None = "-";

    private const string TimeKey = "time";
    private const string PrevKey = "prev";
    private const string RangeKey = "range";
    private const string KeyKey = "key";

    /// <summary>The four extension lines, in the order the ledger writes them.</summary>
    /// <param name="time">When the checkpoint was made.</param>
    /// <param name="previousNote">The full text of the previous signed note, or <see langword="null"/> for the first.</param>
    /// <param name="previousTreeSize">The previous checkpoint's tree size (0 for the first).</param>
    /// <param name="treeSize">This checkpoint's tree size.</param>
    /// <param name="key">The signing key.</param>
    public static IReadOnlyList<string> Create(DateTimeOffset time, string? previousNote, long previousTreeSize, long treeSize, LedgerPublicKey key) =>
        [Time(time), Prev(previousNote), Range(previousTreeSize, treeSize), Key(key)];

    /// <summary><c>time yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public static string Time(DateTimeOffset time) => $"{TimeKey} {LedgerEntryFormat.FormatTime(time)}";

    /// <summary><c>prev &lt;NoteHash(previousNote)&gt;</c>, or <c>prev -</c> for the first checkpoint.</summary>
    public static string Prev(string? previousNote) => PrevFromHash(previousNote is null ? null : NoteHash(previousNote));

    /// <summary><c>prev &lt;previousNoteHash&gt;</c> from a hash kept by the writer, or <c>prev -</c> for the first.</summary>
    public static string PrevFromHash(string? previousNoteHash) => $"{PrevKey} {previousNoteHash ?? None}";

    /// <summary><c>range &lt;previousTreeSize&gt;-&lt;treeSize - 1&gt;</c>, or <c>range -</c> when no leaves were added.</summary>
    public static string Range(long previousTreeSize, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousTreeSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(treeSize, previousTreeSize);
        return treeSize == previousTreeSize
            ? $"{RangeKey} {None}"
            : string.Create(CultureInfo.InvariantCulture, $"{RangeKey} {previousTreeSize}-{treeSize - 1}");
    }

    /// <summary>
    /// <c>key &lt;name&gt;+&lt;key id as 8 lowercase hex digits&gt; &lt;version&gt;</c>, or without <c> &lt;version&gt;</c>
    /// when <see cref="LedgerPublicKey.Version"/> is <see langword="null"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The version contains a space or a control character.</exception>
    public static string Key(LedgerPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Version is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{KeyKey} {key.Name}+{key.KeyId:x8}");
        }

        if (!IsToken(key.Version))
        {
            throw new ArgumentException("A key version must be non-empty, without spaces or control characters.", nameof(key));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{KeyKey} {key.Name}+{key.KeyId:x8} {key.Version}");
    }

    /// <summary>Base64 of SHA-256 over the UTF-8 bytes of a complete signed note (body, blank line, signatures).</summary>
    public static string NoteHash(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(note)));
    }

    /// <summary>Reads the <c>time</c> line.</summary>
    public static bool TryGetTime(this Checkpoint checkpoint, out DateTimeOffset time)
    {
        time = default;
        return TryGetValue(checkpoint, TimeKey, out var value) && LedgerEntryFormat.TryParseTime(value, out time);
    }

    /// <summary>Reads the <c>prev</c> line: a base64 note hash or <see cref="None"/>.</summary>
    public static bool TryGetPrev(this Checkpoint checkpoint, out string prev) =>
        TryGetValue(checkpoint, PrevKey, out prev) && (prev == None || IsBase64Hash(prev));

    /// <summary>
    /// Reads the <c>range</c> line. For <c>range -</c> it returns the empty range
    /// (<paramref name="firstLeaf"/> = tree size, <paramref name="lastLeaf"/> = tree size - 1).
    /// </summary>
    public static bool TryGetRange(this Checkpoint checkpoint, out long firstLeaf, out long lastLeaf)
    {
        firstLeaf = lastLeaf = 0;
        if (!TryGetValue(checkpoint, RangeKey, out var value))
        {
            return false;
        }

        if (value == None)
        {
            firstLeaf = checkpoint.TreeSize;
            lastLeaf = checkpoint.TreeSize - 1;
            return true;
        }

        var dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && long.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out firstLeaf)
            && long.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out lastLeaf)
            && lastLeaf >= firstLeaf;
    }

    /// <summary>Reads the <c>key</c> line, with or without a version.</summary>
    public static bool TryGetKey(this Checkpoint checkpoint, out string keyName, out uint keyId) =>
        TryGetKey(checkpoint, out keyName, out keyId, out _);

    /// <summary>
    /// Reads the <c>key</c> line; <paramref name="keyVersion"/> is <see langword="null"/> for a line without a version
    /// (the form written before key versions were recorded).
    /// </summary>
    public static bool TryGetKey(this Checkpoint checkpoint, out string keyName, out uint keyId, out string? keyVersion)
    {
        keyName = string.Empty;
        keyId = 0;
        keyVersion = null;
        if (!TryGetValue(checkpoint, KeyKey, out var value))
        {
            return false;
        }

        // Key names contain no spaces, so the first space (if any) ends "<name>+<key id>".
        string? version = null;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space >= 0)
        {
            version = value[(space + 1)..];
            value = value[..space];
            if (!IsToken(version))
            {
                return false;
            }
        }

        var plus = value.LastIndexOf('+');
        if (plus <= 0 || value.Length - plus - 1 != 8
            || !uint.TryParse(value.AsSpan(plus + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId))
        {
            return false;
        }

        keyName = value[..plus];
        keyVersion = version;
        return true;
    }

    // Exactly one line "<key> <value>"; a repeated key is ambiguous and reads as absent.
    private static bool TryGetValue(Checkpoint checkpoint, string key, out string value)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        value = string.Empty;
        var found = 0;
        foreach (var line in checkpoint.Extensions)
        {
            if (line.Length > key.Length && line[key.Length] == ' ' && line.StartsWith(key, StringComparison.Ordinal))
            {
                value = line[(key.Length + 1)..];
                found++;
            }
        }

        return found == 1;
    }

    private static bool IsToken(string text) =>
        text.Length > 0 && !text.Any(c => c == ' ' || char.IsControl(c));

    private static bool IsBase64Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        return Convert.TryFromBase64String(text, hash, out var written) && written == 32 && text.Length == 44;
    }
}
