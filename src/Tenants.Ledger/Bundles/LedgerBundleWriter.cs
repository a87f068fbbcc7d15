using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Bundles;

/// <summary>
/// Writes an export bundle: one POSIX tar stream holding <c>manifest.json</c>, <c>keys/&lt;key id&gt;.pem</c>,
/// <c>checkpoints/&lt;size&gt;.note</c> and <c>blocks/&lt;first&gt;-&lt;last&gt;.jsonl</c> exactly as stored. It writes
/// forward only, so the destination may be an HTTP response.
/// </summary>
public static class LedgerBundleWriter
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes the bundle of <paramref name="tenantId"/>'s ledger, limited to <paramref name="range"/>.</summary>
    /// <exception cref="ArgumentException">A range bound is not the size of a stored checkpoint.</exception>
    public static Task WriteAsync(
        ILedgerReader store,
        string tenantId,
        string origin,
        IReadOnlyCollection<LedgerPublicKey> keys,
        LedgerBundleRange range,
        DateTimeOffset created,
        Stream destination,
        CancellationToken ct = default) =>
        WriteAsync(store, tenantId, origin, keys, range, created, destination, appendix: null, ct);

    /// <summary>
    /// Writes the bundle as <see cref="WriteAsync(ILedgerReader, string, string, IReadOnlyCollection{LedgerPublicKey}, LedgerBundleRange, DateTimeOffset, Stream, CancellationToken)"/>
    /// does, then the files <paramref name="appendix"/> makes from the list of files written; returns every file
    /// written with its SHA-256.
    /// </summary>
    /// <exception cref="ArgumentException">A range bound is not the size of a stored checkpoint.</exception>
    public static async Task<IReadOnlyList<LedgerBundleFile>> WriteAsync(
        ILedgerReader store,
        string tenantId,
        string origin,
        IReadOnlyCollection<LedgerPublicKey> keys,
        LedgerBundleRange range,
        DateTimeOffset created,
        Stream destination,
        LedgerBundleAppendix? appendix,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(destination);

        var checkpoints = new List<long>();
        await foreach (var size in store.ListCheckpointsAsync(tenantId, ct).ConfigureAwait(false))
        {
            checkpoints.Add(size);
        }

        checkpoints.Sort();
        var from = range.FromSize ?? 0;
        if (from != 0 && !checkpoints.Contains(from))
        {
            throw new ArgumentException($"There is no checkpoint of size {from} to start from.", nameof(range));
        }

        if (range.ToSize is { } to && (!checkpoints.Contains(to) || to < from))
        {
            throw new ArgumentException($"There is no checkpoint of size {to} at or after {from} to end at.", nameof(range));
        }

        var upper = range.ToSize ?? long.MaxValue;
        var blocks = new List<LedgerBlockName>();
        var before = new List<LedgerBlockName>();
        await foreach (var block in store.ListBlocksAsync(tenantId, ct).ConfigureAwait(false))
        {
            if (block.LastIndex < from)
            {
                before.Add(block);
            }
            else if (block.FirstIndex < upper)
            {
                blocks.Add(block);
            }
        }

        blocks.Sort((a, b) => a.FirstIndex.CompareTo(b.FirstIndex));
        var frontier = from == 0 ? [] : await FrontierAsync(store, tenantId, before, from, ct).ConfigureAwait(false);
        var included = checkpoints.Where(s => s >= from && s <= upper).ToList();
        var keyList = keys.Select(k => new LedgerBundleKey
        {
            Name = k.Name,
            KeyId = k.KeyId.ToString("x8", CultureInfo.InvariantCulture),
            File = $"keys/{k.KeyId:x8}.pem",
        }).ToList();
        var manifest = new LedgerBundleManifest
        {
            TenantId = tenantId,
            Origin = origin,
            FirstLeaf = from,
            LastLeaf = blocks.Count == 0 ? null : blocks[^1].LastIndex,
            CheckpointSizes = included,
            Frontier = frontier,
            Created = created.ToUniversalTime(),
            Keys = keyList,
        };

        var written = new List<LedgerBundleFile>();
        var tar = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        await using (tar.ConfigureAwait(false))
        {
            await WriteEntryAsync(tar, written, LedgerBundleManifest.Path, manifest.ToJson(), created, ct).ConfigureAwait(false);
            foreach (var (key, item) in keys.Zip(keyList))
            {
                await WriteEntryAsync(tar, written, item.File, Encoding.ASCII.GetBytes(key.ToPem() + "\n"), created, ct).ConfigureAwait(false);
            }

            foreach (var size in included)
            {
                var note = await store.ReadCheckpointAsync(tenantId, size, ct).ConfigureAwait(false);
                await WriteEntryAsync(tar, written, LedgerCheckpointName.Path(size), Encoding.UTF8.GetBytes(note), created, ct).ConfigureAwait(false);
            }

            foreach (var name in blocks)
            {
                var block = await store.ReadBlockAsync(tenantId, name, ct).ConfigureAwait(false);
                await WriteEntryAsync(tar, written, name.Path, AsStored(block), created, ct).ConfigureAwait(false);
            }

            if (appendix is not null)
            {
                foreach (var (path, content) in appendix([.. written]))
                {
                    await WriteEntryAsync(tar, written, path, content, created, ct).ConfigureAwait(false);
                }
            }
        }

        return written;
    }

    // The stored form of a block. A tampered block whose line count no longer fits its name is exported as it is,
    // under its own name, so that the auditor's verifier sees the same fault.
    private static byte[] AsStored(LedgerBlock block)
    {
        if (block.Entries.Count == block.Name.Count)
        {
            return block.Encode();
        }

        return block.Entries.Count == 0
            ? []
            : (block with { Name = new LedgerBlockName(block.Name.FirstIndex, block.Name.FirstIndex + block.Entries.Count - 1) }).Encode();
    }

    private static async Task<IReadOnlyList<string>> FrontierAsync(
        ILedgerReader store, string tenantId, List<LedgerBlockName> blocks, long size, CancellationToken ct)
    {
        blocks.Sort((a, b) => a.FirstIndex.CompareTo(b.FirstIndex));
        var tree = new CompactRange();
        var leafHash = new byte[Rfc6962Hasher.HashSize];
        foreach (var name in blocks)
        {
            if (name.FirstIndex != tree.Size)
            {
                throw new InvalidOperationException($"Cannot export from size {size}: the leaves before it are not contiguous at {name.Path}.");
            }

            var block = await store.ReadBlockAsync(tenantId, name, ct).ConfigureAwait(false);
            foreach (var entry in block.Entries)
            {
                Rfc6962Hasher.HashLeaf(entry.Span, leafHash);
                tree.Append(leafHash);
            }
        }

        if (tree.Size != size)
        {
            throw new InvalidOperationException($"Cannot export from size {size}: the blocks before it hold {tree.Size} leaves.");
        }

        return [.. tree.Hashes.Select(Convert.ToBase64String)];
    }

    private static async Task WriteEntryAsync(
        TarWriter tar, List<LedgerBundleFile> written, string path, byte[] content, DateTimeOffset created, CancellationToken ct)
    {
        written.Add(new LedgerBundleFile(path, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length));
        using var data = new MemoryStream(content, writable: false);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = data,
            ModificationTime = created,
            Mode = FileMode,
        };
        await tar.WriteEntryAsync(entry, ct).ConfigureAwait(false);
    }
}
