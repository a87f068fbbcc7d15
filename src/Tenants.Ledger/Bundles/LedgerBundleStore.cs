using System.Formats.Tar;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;
using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Bundles;

/// <summary>
/// A read-only <see cref="ILedgerReader"/> over an export bundle (see <see cref="LedgerBundleWriter"/>). The bundle
/// holds one ledger, so the tenant id passed to each call is not used to find blobs: the verifier checks that every
/// entry carries the tenant the auditor expects. The bundle is read into memory when opened.
/// </summary>
public sealed class LedgerBundleStore : ILedgerReader
{
    private readonly Dictionary<string, byte[]> _files;

    private LedgerBundleStore(LedgerBundleManifest manifest, Dictionary<string, byte[]> files, IReadOnlyList<LedgerPublicKey> keys)
    {
        Manifest = manifest;
        _files = files;
        Keys = keys;
    }

    /// <summary>What the bundle claims about itself (untrusted).</summary>
    public LedgerBundleManifest Manifest { get; }

    /// <summary>The public keys shipped in the bundle (untrusted: an auditor should bring its own).</summary>
    public IReadOnlyList<LedgerPublicKey> Keys { get; }

    /// <summary>Where the bundle starts, for <see cref="LedgerVerificationOptions.Start"/>; <see langword="null"/> for a whole ledger.</summary>
    public LedgerVerificationStart? Start =>
        Manifest.FirstLeaf == 0 ? null : new LedgerVerificationStart(Manifest.FirstLeaf, [.. Manifest.Frontier.Select(Convert.FromBase64String)]);

    /// <summary>Reads a bundle. Throws <see cref="InvalidDataException"/> when it is not a bundle.</summary>
    public static async Task<LedgerBundleStore> OpenAsync(Stream bundle, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var reader = new TarReader(bundle, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    continue;
                }

                using var content = new MemoryStream();
                await entry.DataStream.CopyToAsync(content, ct).ConfigureAwait(false);
                files[entry.Name] = content.ToArray();
            }
        }

        if (!files.TryGetValue(LedgerBundleManifest.Path, out var json))
        {
            throw new InvalidDataException($"Not a ledger bundle: no {LedgerBundleManifest.Path}.");
        }

        var manifest = LedgerBundleManifest.Parse(json);
        var keys = new List<LedgerPublicKey>();
        foreach (var key in manifest.Keys)
        {
            if (files.TryGetValue(key.File, out var pem))
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(Encoding.ASCII.GetString(pem));
                keys.Add(new LedgerPublicKey(key.Name, ecdsa.ExportSubjectPublicKeyInfo()));
            }
        }

        return new LedgerBundleStore(manifest, files, keys);
    }

    /// <summary>Opens a bundle file.</summary>
    public static async Task<LedgerBundleStore> OpenFileAsync(string path, CancellationToken ct = default)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return await OpenAsync(file, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var path in _files.Keys.Order(StringComparer.Ordinal))
        {
            if (LedgerBlockName.TryParse(path, out var name))
            {
                yield return name;
            }
        }
    }

    /// <inheritdoc />
    public Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default) =>
        Task.FromResult(LedgerBlock.Decode(name, Read(name.Path)));

    /// <inheritdoc />
    public async IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var path in _files.Keys.Order(StringComparer.Ordinal))
        {
            if (LedgerCheckpointName.TryParse(path, out var size))
            {
                yield return size;
            }
        }
    }

    /// <inheritdoc />
    public Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default) =>
        Task.FromResult(Encoding.UTF8.GetString(Read(LedgerCheckpointName.Path(treeSize))));

    /// <inheritdoc />
    /// <remarks>A bundle carries no hash tiles (they are derived data; proofs come from the service's API).</remarks>
    public Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default) =>
        Task.FromResult<byte[]?>(null);

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    private byte[] Read(string path) =>
        _files.TryGetValue(path, out var content) ? content : throw new FileNotFoundException($"The bundle holds no {path}.");
}
