namespace Tenants.Ledger.Storage;

/// <summary>
/// A sealed block: consecutive ledger entries, each the exact canonical bytes that were hashed into the tree.
/// Stored as the entries joined by <c>\n</c> with a trailing <c>\n</c> (<see cref="Encode"/>, <see cref="Decode"/>).
/// </summary>
public sealed record LedgerBlock(LedgerBlockName Name, IReadOnlyList<ReadOnlyMemory<byte>> Entries)
{
    private const byte LineFeed = (byte)'\n';

    /// <summary>The stored form. Throws if the block holds a different number of entries than its name says, or an entry spans lines.</summary>
    public byte[] Encode()
    {
        if (Entries.Count != Name.Count)
        {
            throw new ArgumentException($"Block {Name} names {Name.Count} entries but holds {Entries.Count}.");
        }

        var length = 0;
        foreach (var entry in Entries)
        {
            if (entry.Span.Contains(LineFeed))
            {
                throw new ArgumentException($"An entry of block {Name} contains a line feed; entries are single canonical lines.");
            }

            length += entry.Length + 1;
        }

        var content = new byte[length];
        var offset = 0;
        foreach (var entry in Entries)
        {
            entry.Span.CopyTo(content.AsSpan(offset));
            offset += entry.Length;
            content[offset++] = LineFeed;
        }

        return content;
    }

    /// <summary>
    /// Splits stored bytes back into entries, exactly as stored. Nothing is judged here: a missing trailing line feed
    /// gives a last entry as it is, and the verifier decides what the content means.
    /// </summary>
    public static LedgerBlock Decode(LedgerBlockName name, ReadOnlyMemory<byte> content)
    {
        var entries = new List<ReadOnlyMemory<byte>>();
        while (!content.IsEmpty)
        {
            var end = content.Span.IndexOf(LineFeed);
            if (end < 0)
            {
                entries.Add(content);
                break;
            }

            entries.Add(content[..end]);
            content = content[(end + 1)..];
        }

        return new LedgerBlock(name, entries);
    }
}
