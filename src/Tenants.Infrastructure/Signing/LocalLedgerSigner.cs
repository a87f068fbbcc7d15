using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// Signs checkpoints with a local ECDSA P-256 key kept as a PKCS#8 PEM file (the embedded setup; Azure uses Key
/// Vault). The file is created on first use, readable and writable by the owner only (mode 0600). After a key
/// rotation the public keys of earlier keys are kept as PEM files and published next to the current one, so
/// checkpoints they signed stay verifiable (docs/operations.md describes the procedure).
/// </summary>
public sealed class LocalLedgerSigner : ILedgerSigner, IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _key;
    private readonly IReadOnlyList<LedgerPublicKey> _publicKeys;

    /// <summary>Loads the key at <paramref name="keyFilePath"/>, creating it (and its directory) if absent.</summary>
    /// <param name="keyFilePath">Path of the PKCS#8 PEM private key file.</param>
    /// <param name="keyName">The key name on signature lines (the ledger origin by convention).</param>
    public LocalLedgerSigner(string keyFilePath, string keyName)
        : this(keyFilePath, keyName, [])
    {
    }

    /// <summary>
    /// Loads the key at <paramref name="keyFilePath"/>, creating it (and its directory) if absent, and the public keys
    /// of earlier (rotated) keys from <paramref name="previousPublicKeyFiles"/>.
    /// </summary>
    /// <param name="keyFilePath">Path of the PKCS#8 PEM private key file.</param>
    /// <param name="keyName">The key name on signature lines (the ledger origin by convention).</param>
    /// <param name="previousPublicKeyFiles">
    /// PEM files (<c>PUBLIC KEY</c>) of keys that signed this deployment's checkpoints before a rotation, newest first.
    /// </param>
    /// <exception cref="CryptographicException">A key is not an ECDSA P-256 key.</exception>
    /// <exception cref="FileNotFoundException">A previous public key file does not exist.</exception>
    public LocalLedgerSigner(string keyFilePath, string keyName, IEnumerable<string> previousPublicKeyFiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFilePath);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentNullException.ThrowIfNull(previousPublicKeyFiles);
        var previous = previousPublicKeyFiles.Select(path => LoadPublicKey(Path.GetFullPath(path), keyName)).ToList();
        _key = LoadOrCreate(Path.GetFullPath(keyFilePath));
        PublicKey = WithVersion(new LedgerPublicKey(keyName, _key.ExportSubjectPublicKeyInfo()));
        _publicKeys = [PublicKey, .. previous.Where(k => k.KeyId != PublicKey.KeyId).DistinctBy(k => k.KeyId)];
    }

    /// <inheritdoc />
    public LedgerPublicKey PublicKey { get; }

    /// <summary>The current key, then the previous keys given at construction (without duplicates).</summary>
    public Task<IReadOnlyList<LedgerPublicKey>> GetPublicKeysAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_publicKeys);
    }

    /// <inheritdoc />
    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_key.SignData(message.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    // A local key has no version of its own; its key id names it in the checkpoint's key line.
    private static LedgerPublicKey WithVersion(LedgerPublicKey key) =>
        key with { Version = key.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) };

    private static LedgerPublicKey LoadPublicKey(string path, string keyName)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The previous ledger public key file {path} does not exist.", path);
        }

        // A private key PEM is accepted too, but only its public half is kept.
        using var key = Load(path);
        return WithVersion(new LedgerPublicKey(keyName, key.ExportSubjectPublicKeyInfo()));
    }

    private static ECDsa LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            PrivateKeyFile.CreateNew(path, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created the key first: use theirs, so every signer shares one key.
            key.Dispose();
            return Load(path);
        }
    }

    private static ECDsa Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256 || key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != P256Oid)
            {
                throw new CryptographicException($"The ledger key in {path} is not a P-256 key.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
