using System.Globalization;
using System.Text;

namespace Tenants.Ledger.Checkpoints;

/// <summary>
/// A signed tree head in the C2SP tlog-checkpoint format: origin, tree size, root hash and extension lines.
/// </summary>
/// <param name="Origin">Names the ledger; unique per tenant ledger, no spaces and no <c>+</c> by convention.</param>
/// <param name="TreeSize">Number of entries the tree holds.</param>
/// <param name="RootHash">The 32-byte RFC 6962 root hash of those entries.</param>
/// <param name="Extensions">Extra body lines covered by the signature (see <see cref="CheckpointExtensions"/>).</param>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash, IReadOnlyList<string> Extensions)
{
    private const int RootHashSize = 32;

    /// <summary>
    /// The note body: <c>origin\nsize\nbase64(root)\n</c> followed by each extension line and <c>\n</c>.
    /// This text, including its final newline, is what signatures cover.
    /// </summary>
    /// <exception cref="InvalidOperationException">A field cannot be represented in a note.</exception>
    public string ToNoteBody()
    {
        if (!IsValidLine(Origin))
        {
            throw new InvalidOperationException("The origin must be a non-empty line without control characters.");
        }

        if (TreeSize < 0)
        {
            throw new InvalidOperationException("The tree size cannot be negative.");
        }

        if (RootHash is not { Length: RootHashSize })
        {
            throw new InvalidOperationException($"The root hash must be {RootHashSize} bytes.");
        }

        var body = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (var line in Extensions ?? [])
        {
            if (!IsValidLine(line))
            {
                throw new InvalidOperationException("Extension lines must be non-empty and free of control characters.");
            }

            body.Append(line).Append('\n');
        }

        return body.ToString();
    }

    /// <summary>Parses a note body (the text before the blank line, including its final newline).</summary>
    internal static bool TryParseBody(string body, out Checkpoint? checkpoint, out string? error)
    {
        checkpoint = null;
        if (!body.EndsWith('\n'))
        {
            error = "the checkpoint body must end with a newline";
            return false;
        }

        var lines = body[..^1].Split('\n');
        if (lines.Length < 3)
        {
            error = "a checkpoint needs origin, size and root hash lines";
            return false;
        }

        if (lines[0].Length == 0)
        {
            error = "empty origin line";
            return false;
        }

        var size = lines[1];
        if (size.Length == 0 || (size.Length > 1 && size[0] == '0')
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var treeSize))
        {
            error = "the size line must be a decimal number without leading zeros";
            return false;
        }

        var root = new byte[RootHashSize];
        if (!Convert.TryFromBase64String(lines[2], root, out var written) || written != RootHashSize
            || Convert.ToBase64String(root) != lines[2])
        {
            error = "the root hash line must be the standard base64 of 32 bytes";
            return false;
        }

        var extensions = lines[3..];
        if (Array.Exists(extensions, line => line.Length == 0))
        {
            error = "empty extension line";
            return false;
        }

        checkpoint = new Checkpoint(lines[0], treeSize, root, extensions);
        error = null;
        return true;
    }

    private static bool IsValidLine(string? line) =>
        !string.IsNullOrEmpty(line) && !line.Any(char.IsControl);
}
