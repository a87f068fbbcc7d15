namespace Tenants.Ledger.Storage;

/// <summary>
/// A sealed block: consecutive ledger entries, each the exact canonical bytes that were hashed into the tree.
/// The content is the entries joined by <c>\n</c> with a trailing <c>\n</c> (<see cref="EncodeContent"/>); the stored
/// form is that content gzip-compressed (<see cref="Encode"/>, <see cref="Decode"/>, <see cref="LedgerBlockCodec"/>).
/// </summary>
public sealed record LedgerBlock(LedgerBlockName Name, IReadOnlyList<ReadOnlyMemory<byte>> Entries)
{
    private const byte LineFeed = (byte)'\n';

    /// <summary>
    /// The stored form: the gzip-compressed content. Throws if the block holds a different number of entries than its
    /// name says, an entry spans lines or is larger than <see cref="LedgerBlockCodec.MaxEntryBytes"/>, or the content is
    /// larger than a reader accepts (<see cref="LedgerBlockCodec.MaxContentBytes"/>).
    /// </summary>
    public byte[] Encode() => LedgerBlockCodec.Compress(EncodeContent());

    /// <summary>The uncompressed content: every entry followed by <c>\n</c>. Same checks as <see cref="Encode"/>.</summary>
    public byte[] EncodeContent()
    {
        if (Entries.Count != Name.Count)
        {
            throw new ArgumentException($"Block {Name} names {Name.Count} entries but holds {Entries.Count}.");
        }

        long length = 0;
        foreach (var entry in Entries)
        {
            if (entry.Span.Contains(LineFeed))
            {
                throw new ArgumentException($"An entry of block {Name} contains a line feed; entries are single canonical lines.");
            }

            if (entry.Length > LedgerBlockCodec.MaxEntryBytes)
            {
                throw new ArgumentException($"An entry of block {Name} has {entry.Length} bytes; entries hold at most {LedgerBlockCodec.MaxEntryBytes}.");
            }

            length += entry.Length + 1;
        }

        if (length > LedgerBlockCodec.MaxContentBytes(Name.Count))
        {
            throw new ArgumentException($"Block {Name} holds {length} bytes; blocks hold at most {LedgerBlockCodec.MaxBlockBytes}.");
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
    /// Decompresses a stored block (at most <see cref="LedgerBlockCodec.MaxContentBytes"/> for its declared entry
    /// count) and splits it into entries, exactly as stored.
    /// </summary>
    /// <exception cref="LedgerBlockFormatException">The stored bytes are not a valid, bounded gzip stream.</exception>
    public static LedgerBlock Decode(LedgerBlockName name, ReadOnlyMemory<byte> stored) =>
        DecodeContent(name, LedgerBlockCodec.Decompress(stored, LedgerBlockCodec.MaxContentBytes(name.Count)));

    /// <summary>
    /// Splits uncompressed content into entries, exactly as stored. Nothing is judged here: a missing trailing line feed
    /// gives a last entry as it is, and the verifier decides what the content means.
    /// </summary>
    public static LedgerBlock DecodeContent(LedgerBlockName name, ReadOnlyMemory<byte> content)
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
