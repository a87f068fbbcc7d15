using System.Text;
using Tenants.Ledger.Storage;

namespace Tenants.Testing.Ledger;

/// <summary>
/// Tamper helper: edits the entries of a block as stored, whatever the stored form is, by decoding with
/// <see cref="LedgerBlock.Decode"/> and re-encoding with <see cref="LedgerBlock.Encode"/>. Tests that change stored
/// blocks go through here so they keep working when the stored form changes.
/// </summary>
public static class StoredBlockEditor
{
    /// <summary>Returns the stored bytes of <paramref name="name"/> after <paramref name="edit"/> changed its lines.</summary>
    public static byte[] Edit(LedgerBlockName name, byte[] stored, Action<List<string>> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var lines = LedgerBlock.Decode(name, stored).Entries.Select(e => Encoding.UTF8.GetString(e.Span)).ToList();
        edit(lines);
        if (lines.Count == 0)
        {
            throw new ArgumentException("A stored block holds at least one entry.", nameof(edit));
        }

        // Encode insists the name matches the count; the bytes are then stored under the original name.
        var asStored = new LedgerBlockName(name.FirstIndex, name.FirstIndex + lines.Count - 1);
        return new LedgerBlock(asStored, [.. lines.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l))]).Encode();
    }
}
