using Tenants.Infrastructure.Signing;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;

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
}
