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
