using System.Text;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Sessions;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>
/// A block read ahead of the verification pass: its entries, their leaf hashes, the leaf index each entry claims and
/// what is wrong with its header (format, origin, tenant). Everything here depends on the block alone, so blocks are
/// prepared in parallel while the pass (which depends on order) folds them into the tree one by one.
/// </summary>
internal sealed class PreparedBlock
{
    private PreparedBlock(LedgerBlock block, byte[] leafHashes, long[] leafIndices, string?[] errors, SessionEntryFacts?[] sessions)
    {
        Block = block;
        LeafHashes = leafHashes;
        LeafIndices = leafIndices;
        Errors = errors;
        Sessions = sessions;
    }

    public LedgerBlock Block { get; }

    /// <summary>The leaf hash of every entry, 32 bytes each, in order.</summary>
    public byte[] LeafHashes { get; }

    /// <summary>The leaf index each entry's header claims (-1 where the header is unreadable).</summary>
    public long[] LeafIndices { get; }

    /// <summary>What is wrong with an entry's header apart from its position (null where nothing is).</summary>
    public string?[] Errors { get; }

    /// <summary>What the session check needs of each entry (null where the entry cannot be read).</summary>
    public SessionEntryFacts?[] Sessions { get; }

    public ReadOnlySpan<byte> LeafHash(int entry) => LeafHashes.AsSpan(entry * Rfc6962Hasher.HashSize, Rfc6962Hasher.HashSize);

    /// <summary>
    /// Reads and prepares <paramref name="name"/> on the thread pool. Read failures surface when the task is awaited,
    /// as the same exceptions <see cref="ILedgerReader.ReadBlockAsync"/> throws.
    /// </summary>
    public static Task<PreparedBlock> PrepareAsync(
        ILedgerReader store, string tenantId, string origin, LedgerBlockName name, CancellationToken ct) =>
        Task.Run(
            async () =>
            {
                var block = await store.ReadBlockAsync(tenantId, name, ct).ConfigureAwait(false);
                var entries = block.Entries;
                var leafHashes = new byte[entries.Count * Rfc6962Hasher.HashSize];
                var leafIndices = new long[entries.Count];
                var errors = new string?[entries.Count];
                var sessions = new SessionEntryFacts?[entries.Count];
                var originBytes = Encoding.UTF8.GetBytes(origin);
                var tenantBytes = Encoding.UTF8.GetBytes(tenantId);
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = entries[i].Span;
                    Rfc6962Hasher.HashLeaf(entry, leafHashes.AsSpan(i * Rfc6962Hasher.HashSize, Rfc6962Hasher.HashSize));
                    if (!LedgerEntryReader.TryMatchHeader(entry, originBytes, tenantBytes, out leafIndices[i], out sessions[i]))
                    {
                        errors[i] = HeaderError(entry, tenantId, origin, out leafIndices[i]);
                        SessionEntryReader.TryRead(entry, out sessions[i]);
                    }
                }

                return new PreparedBlock(block, leafHashes, leafIndices, errors, sessions);
            },
            ct);

    // The slow path, for the rare entry the fast one refuses: the full reader says exactly what is wrong.
    private static string? HeaderError(ReadOnlySpan<byte> entry, string tenantId, string origin, out long leafIndex)
    {
        leafIndex = -1;
        if (!LedgerEntryReader.TryReadHeader(entry, out var header, out var error))
        {
            return "invalid format: " + error;
        }

        leafIndex = header.LeafIndex;
        if (header.Origin != origin)
        {
            return $"has been moved from its original location: entry origin is '{header.Origin}'";
        }

        return header.TenantId != tenantId
            ? $"has been moved from its original location: entry belongs to tenant '{header.TenantId}'"
            : null;
    }
}
