using System.Security.Cryptography;
using Tenants.Infrastructure.Signing;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Tests.Signing;

public sealed class LocalLedgerSignerTests : IDisposable
{
    private const string KeyName = "ledger.example/tenants/t1";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tenants-signer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_NoKeyFile_CreatesOwnerOnlyPemInNewDirectory()
    {
        var path = Path.Combine(_directory, "keys", "ledger.pem");

        using var signer = new LocalLedgerSigner(path, KeyName);

        Assert.True(File.Exists(path));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Constructor_ExistingKeyFile_ReusesTheKey()
    {
        var path = Path.Combine(_directory, "ledger.pem");
        using var first = new LocalLedgerSigner(path, KeyName);

        using var second = new LocalLedgerSigner(path, KeyName);

        Assert.Equal(first.PublicKey.KeyId, second.PublicKey.KeyId);
        Assert.Equal(first.PublicKey.SubjectPublicKeyInfo, second.PublicKey.SubjectPublicKeyInfo);
        Assert.Equal(KeyName, second.PublicKey.Name);
    }

    [Fact]
    public async Task SignAsync_Checkpoint_OpensWithThePublicKey()
    {
        var path = Path.Combine(_directory, "ledger.pem");
        using var signer = new LocalLedgerSigner(path, KeyName);
        var checkpoint = new Checkpoint(KeyName, 1, Rfc6962Hasher.HashLeaf("entry"u8), ["prev -"]);

        var note = await CheckpointNote.SignAsync(checkpoint, signer);
        using var reloaded = new LocalLedgerSigner(path, KeyName);

        Assert.True(CheckpointNote.TryOpen(note, [reloaded.PublicKey], out var opened, out var error), error);
        Assert.Equal(checkpoint.RootHash, opened!.RootHash);
    }

    [Fact]
    public async Task SignAsync_OtherKeyFile_DoesNotOpen()
    {
        using var signer = new LocalLedgerSigner(Path.Combine(_directory, "a.pem"), KeyName);
        using var other = new LocalLedgerSigner(Path.Combine(_directory, "b.pem"), KeyName);
        var note = await CheckpointNote.SignAsync(new Checkpoint(KeyName, 0, Rfc6962Hasher.EmptyRoot, []), signer);

        Assert.False(CheckpointNote.TryOpen(note, [other.PublicKey], out _, out _));
    }

    [Fact]
    public async Task Rotation_PreviousPublicKeyKept_OldAndNewCheckpointsBothVerifyWithTheKeyList()
    {
        var keyFile = Path.Combine(_directory, "keys", "ledger-signing.pem");
        string before;
        LedgerPublicKey oldKey;
        using (var old = new LocalLedgerSigner(keyFile, KeyName))
        {
            oldKey = old.PublicKey;
            before = await SignCheckpointAsync(old, 1);
        }

        // The documented procedure: keep the old public key as PEM, move the private key out of the way, restart.
        var previousFile = Path.Combine(_directory, "keys", "previous", $"ledger-signing-{oldKey.KeyId:x8}.pub.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(previousFile)!);
        await File.WriteAllTextAsync(previousFile, oldKey.ToPem());
        File.Move(keyFile, Path.Combine(_directory, "retired.pem"));
        using var rotated = new LocalLedgerSigner(keyFile, KeyName, [previousFile]);
        var after = await SignCheckpointAsync(rotated, 2);

        var keys = await rotated.GetPublicKeysAsync();

        Assert.NotEqual(oldKey.KeyId, rotated.PublicKey.KeyId);
        Assert.Equal([rotated.PublicKey.KeyId, oldKey.KeyId], keys.Select(k => k.KeyId));
        Assert.True(CheckpointNote.TryOpen(before, keys, out var first, out var error), error);
        Assert.True(CheckpointNote.TryOpen(after, keys, out var second, out error), error);
        Assert.False(CheckpointNote.TryOpen(before, [rotated.PublicKey], out _, out _));
        Assert.True(first!.TryGetKey(out _, out var firstKeyId, out var firstVersion));
        Assert.True(second!.TryGetKey(out _, out var secondKeyId, out var secondVersion));
        Assert.Equal((oldKey.KeyId, $"{oldKey.KeyId:x8}"), (firstKeyId, firstVersion));
        Assert.Equal((rotated.PublicKey.KeyId, $"{rotated.PublicKey.KeyId:x8}"), (secondKeyId, secondVersion));
    }

    [Fact]
    public void Constructor_PreviousKeyFileMissing_NamesTheFile()
    {
        var missing = Path.Combine(_directory, "previous", "gone.pem");

        var error = Assert.Throws<FileNotFoundException>(() => new LocalLedgerSigner(Path.Combine(_directory, "k.pem"), KeyName, [missing]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PreviousKeyNotP256_IsRefused()
    {
        Directory.CreateDirectory(_directory);
        var p384 = Path.Combine(_directory, "p384.pub.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            File.WriteAllText(p384, key.ExportSubjectPublicKeyInfoPem());
        }

        var error = Assert.Throws<CryptographicException>(() => new LocalLedgerSigner(Path.Combine(_directory, "k.pem"), KeyName, [p384]));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    private static Task<string> SignCheckpointAsync(LocalLedgerSigner signer, long size)
    {
        var extensions = new[] { CheckpointExtensions.Key(signer.PublicKey) };
        return CheckpointNote.SignAsync(new Checkpoint(KeyName, size, Rfc6962Hasher.EmptyRoot, extensions), signer);
    }
}
