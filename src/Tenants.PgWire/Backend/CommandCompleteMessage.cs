using System.Buffers;
using System.Globalization;

namespace Tenants.PgWire.Backend;

/// <summary>CommandComplete: the command tag, e.g. <c>SELECT 3</c> or <c>INSERT 0 5</c>.</summary>
public readonly record struct CommandCompleteMessage(string Tag)
{
    /// <summary>The row count the tag carries (its last number), or null for tags without one.</summary>
    public long? Rows
    {
        get
        {
            var space = Tag.LastIndexOf(' ');
            return space > 0 && long.TryParse(Tag.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
                ? rows
                : null;
        }
    }

    public static bool TryParse(in ReadOnlySequence<byte> body, out CommandCompleteMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var tag);
        message = new CommandCompleteMessage(tag);
        return ok;
    }
}
