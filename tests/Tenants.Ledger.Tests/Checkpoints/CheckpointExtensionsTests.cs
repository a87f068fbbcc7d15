using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Tests.Checkpoints;

public sealed class CheckpointExtensionsTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 9, 25, 31, TimeSpan.Zero);

    [Fact]
    public void Create_FirstCheckpoint_WritesDashesForPrevAndEmptyRange()
    {
        using var signer = new TestLedgerSigner("ledger.example/t1");

        var lines = CheckpointExtensions.Create(Time, null, 0, 0, signer.PublicKey);

        Assert.Equal(["time 2026-11-23T09:25:31.000000Z", "prev -", "range -", $"key ledger.example/t1+{signer.PublicKey.KeyId:x8}"], lines);
    }

    [Fact]
    public void TryGet_CreatedLines_ParseBack()
    {
        using var signer = new TestLedgerSigner("ledger.example/t1");
        const string previous = "previous note\n";
        var checkpoint = new Checkpoint("o", 512, Rfc6962Hasher.EmptyRoot, CheckpointExtensions.Create(Time, previous, 256, 512, signer.PublicKey));

        Assert.True(checkpoint.TryGetTime(out var time));
        Assert.Equal(Time, time);
        Assert.True(checkpoint.TryGetPrev(out var prev));
        Assert.Equal(CheckpointExtensions.NoteHash(previous), prev);
        Assert.True(checkpoint.TryGetRange(out var first, out var last));
        Assert.Equal((256L, 511L), (first, last));
        Assert.True(checkpoint.TryGetKey(out var name, out var keyId));
        Assert.Equal(("ledger.example/t1", signer.PublicKey.KeyId), (name, keyId));
    }

    [Fact]
    public void Key_VersionedKey_WritesVersionAfterKeyIdAndParsesBack()
    {
        using var signer = new TestLedgerSigner("ledger.example/t1");
        var key = signer.PublicKey with { Version = "0a1b2c3d4e5f60718293a4b5c6d7e8f9" };

        var line = CheckpointExtensions.Key(key);
        var checkpoint = new Checkpoint("o", 1, Rfc6962Hasher.EmptyRoot, [line]);

        Assert.Equal($"key ledger.example/t1+{key.KeyId:x8} 0a1b2c3d4e5f60718293a4b5c6d7e8f9", line);
        Assert.True(checkpoint.TryGetKey(out var name, out var keyId, out var version));
        Assert.Equal(("ledger.example/t1", key.KeyId, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"), (name, keyId, version));
        Assert.True(checkpoint.TryGetKey(out name, out keyId));
        Assert.Equal(("ledger.example/t1", key.KeyId), (name, keyId));
    }

    [Fact]
    public void TryGetKey_LineWithoutVersion_ParsesWithNullVersion()
    {
        var checkpoint = new Checkpoint("o", 1, Rfc6962Hasher.EmptyRoot, ["key ledger.example/t1+0badcafe"]);

        Assert.True(checkpoint.TryGetKey(out var name, out var keyId, out var version));
        Assert.Equal(("ledger.example/t1", 0x0badcafeu, (string?)null), (name, keyId, version));
    }

    [Theory]
    [InlineData("key ledger.example/t1+0badcafe ")]
    [InlineData("key ledger.example/t1+0badcafe v1 v2")]
    [InlineData("key ledger.example/t1+0badcaf v1")]
    public void TryGetKey_MalformedVersionedLine_Fails(string line)
    {
        var checkpoint = new Checkpoint("o", 1, Rfc6962Hasher.EmptyRoot, [line]);

        Assert.False(checkpoint.TryGetKey(out _, out _, out _));
    }

    [Fact]
    public void Key_VersionWithSpace_IsRefused()
    {
        using var signer = new TestLedgerSigner("ledger.example/t1");

        Assert.Throws<ArgumentException>(() => CheckpointExtensions.Key(signer.PublicKey with { Version = "v 1" }));
    }

    [Fact]
    public void TryGetRange_Dash_IsEmptyRangeAtTreeSize()
    {
        var checkpoint = new Checkpoint("o", 7, Rfc6962Hasher.EmptyRoot, ["range -"]);

        Assert.True(checkpoint.TryGetRange(out var first, out var last));
        Assert.Equal((7L, 6L), (first, last));
    }

    [Fact]
    public void TryGet_MissingOrDuplicatedLines_Fail()
    {
        var checkpoint = new Checkpoint("o", 7, Rfc6962Hasher.EmptyRoot, ["prev -", "prev -", "range 9-3", "key nokeyid", "time yesterday"]);

        Assert.False(checkpoint.TryGetPrev(out _));
        Assert.False(checkpoint.TryGetRange(out _, out _));
        Assert.False(checkpoint.TryGetKey(out _, out _));
        Assert.False(checkpoint.TryGetTime(out _));
    }

    [Fact]
    public void LedgerCheckpointName_Path_RoundTrips()
    {
        var path = LedgerCheckpointName.Path(256);

        Assert.Equal("checkpoints/00000000000000000256.note", path);
        Assert.True(LedgerCheckpointName.TryParse(path, out var size));
        Assert.Equal(256, size);
        Assert.False(LedgerCheckpointName.TryParse("checkpoints/256.note", out _));
        Assert.False(LedgerCheckpointName.TryParse("blocks/00000000000000000256.note", out _));
    }
}
