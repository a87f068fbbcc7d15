using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// Signs checkpoints with a local ECDSA P-256 key kept as a PKCS#8 PEM file (the embedded setup; Azure uses Key
/// Vault). The file is created on first use, readable and writable by the owner only (mode 0600).
/// </summary>
public sealed class LocalLedgerSigner : ILedgerSigner, IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Loads the key at <paramref name="keyFilePath"/>, creating it (and its directory) if absent.</summary>
    /// <param name="keyFilePath">Path of the PKCS#8 PEM private key file.</param>
    /// <param name="keyName">The key name on signature lines (the ledger origin by convention).</param>
    public LocalLedgerSigner(string keyFilePath, string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFilePath);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        _key = LoadOrCreate(Path.GetFullPath(keyFilePath));
        PublicKey = new LedgerPublicKey(keyName, _key.ExportSubjectPublicKeyInfo());
    }

    /// <inheritdoc />
    public LedgerPublicKey PublicKey { get; }

    /// <inheritdoc />
    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_key.SignData(message.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static ECDsa LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation so the key is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(path, options))
            {
                stream.Write(pem);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

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
            if (key.KeySize != 256)
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
