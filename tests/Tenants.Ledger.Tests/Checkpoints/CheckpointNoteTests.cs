using System.Text;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Checkpoints;

public sealed class CheckpointNoteTests : IDisposable
{
    private const string Origin = "ledger.example/tenants/t1";
    private readonly TestLedgerSigner _signer = new(Origin);
    private readonly TestLedgerSigner _other = new(Origin);
    private readonly Checkpoint _checkpoint = new(Origin, 5, Rfc6962Hasher.HashLeaf("root"u8), ["time 2026-11-23T09:25:31.123456Z", "prev -"]);

    public void Dispose()
    {
        _signer.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void ToNoteBody_Checkpoint_IsTlogCheckpointText()
    {
        var root = Convert.ToBase64String(_checkpoint.RootHash);

        Assert.Equal($"{Origin}\n5\n{root}\ntime 2026-11-23T09:25:31.123456Z\nprev -\n", _checkpoint.ToNoteBody());
    }

    [Fact]
    public void ToNoteBody_ExtensionWithNewline_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => (_checkpoint with { Extensions = ["a\nb"] }).ToNoteBody());
    }

    [Fact]
    public async Task SignAsync_Checkpoint_ProducesBodyBlankLineAndSignatureLine()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _signer);

        Assert.StartsWith(_checkpoint.ToNoteBody() + "\n\u2014 " + Origin + " ", note, StringComparison.Ordinal);
        Assert.EndsWith("\n", note, StringComparison.Ordinal);
        var blob = Convert.FromBase64String(note.Split('\n')[^2].Split(' ')[2]);
        Assert.Equal(_signer.PublicKey.KeyId, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(blob));
        Assert.Equal(0x30, blob[4]);
    }

    [Fact]
    public async Task TryOpen_SignedByTrustedKey_ReturnsCheckpoint()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _signer);

        Assert.True(CheckpointNote.TryOpen(note, [_other.PublicKey, _signer.PublicKey], out var opened, out var error), error);
        Assert.Equal(_checkpoint.Origin, opened!.Origin);
        Assert.Equal(_checkpoint.TreeSize, opened.TreeSize);
        Assert.Equal(_checkpoint.RootHash, opened.RootHash);
        Assert.Equal(_checkpoint.Extensions, opened.Extensions);
    }

    [Theory]
    [InlineData("\n5\n", "\n6\n")]
    [InlineData(Origin + "\n", "ledger.example/tenants/t2\n")]
    [InlineData("prev -", "prev x")]
    public async Task TryOpen_BodyAlteredAfterSigning_Fails(string from, string to)
    {
        var note = (await CheckpointNote.SignAsync(_checkpoint, _signer)).Replace(from, to, StringComparison.Ordinal);

        Assert.False(CheckpointNote.TryOpen(note, [_signer.PublicKey], out _, out var error));
        Assert.Contains("signature verification failed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryOpen_SignatureByteFlipped_Fails()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _signer);
        var lines = note.Split('\n');
        var blob = Convert.FromBase64String(lines[^2].Split(' ')[2]);
        blob[^3] ^= 0x01;
        lines[^2] = $"\u2014 {Origin} {Convert.ToBase64String(blob)}";

        Assert.False(CheckpointNote.TryOpen(string.Join('\n', lines), [_signer.PublicKey], out _, out _));
    }

    [Fact]
    public async Task TryOpen_OnlyUnknownKeySigned_Fails()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _other);

        Assert.False(CheckpointNote.TryOpen(note, [_signer.PublicKey], out _, out var error));
        Assert.Contains("public key not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryOpen_UnknownSignaturesBesideTrustedOne_AreIgnored()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _signer);
        var foreign = (await CheckpointNote.SignAsync(_checkpoint, _other)).Split("\n\n")[1];
        var witnesses = string.Concat(Enumerable.Range(0, 15).Select(i => $"\u2014 witness{i}.example AAAAAQID\n"));

        Assert.True(CheckpointNote.TryOpen(note + foreign + witnesses, [_signer.PublicKey], out _, out var error), error);
        Assert.True(CheckpointNote.TryOpen(note.Split("\n\n")[0] + "\n\n" + foreign + witnesses + note.Split("\n\n")[1], [_signer.PublicKey], out _, out error), error);
    }

    [Fact]
    public async Task TryOpen_TrustedSignatureFailsBesideValidOne_Fails()
    {
        var note = await CheckpointNote.SignAsync(_checkpoint, _signer);
        var bad = (await CheckpointNote.SignAsync(_checkpoint with { TreeSize = 6 }, _other)).Split("\n\n")[1];

        Assert.False(CheckpointNote.TryOpen(note + bad, [_signer.PublicKey, _other.PublicKey], out _, out _));
    }

    [Fact]
    public async Task TryOpen_KeyNameDiffers_IgnoresSignature()
    {
        var note = (await CheckpointNote.SignAsync(_checkpoint, _signer)).Replace("\u2014 " + Origin, "\u2014 other.example", StringComparison.Ordinal);

        Assert.False(CheckpointNote.TryOpen(note, [_signer.PublicKey], out _, out _));
    }

    [Theory]
    [InlineData("o\n5\nROOT\n\n\u2014 k AAAA\n")]
    [InlineData("o\n05\nROOT\n")]
    [InlineData("o\n-5\nROOT\n")]
    [InlineData("o\n99999999999999999999\nROOT\n")]
    [InlineData("o\nfive\nROOT\n")]
    [InlineData("\n5\nROOT\n")]
    [InlineData("o\n5\n")]
    [InlineData("o\n5\nAAAA\n")]
    [InlineData("o\n5\nROOT\nx\ty\n")]
    [InlineData("o\n5\nROOT")]
    public async Task TryOpen_MalformedBody_Fails(string bodyTemplate)
    {
        var root = Convert.ToBase64String(_checkpoint.RootHash);
        var body = bodyTemplate.Replace("ROOT", root, StringComparison.Ordinal);
        var signature = await _signer.SignAsync(Encoding.UTF8.GetBytes(body));
        var blob = new byte[4 + signature.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(blob, _signer.PublicKey.KeyId);
        signature.CopyTo(blob, 4);
        var note = $"{body}\n\u2014 {Origin} {Convert.ToBase64String(blob)}\n";

        Assert.False(CheckpointNote.TryOpen(note, [_signer.PublicKey], out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no trailing newline")]
    [InlineData("o\n5\nr\n")]
    [InlineData("o\n5\nr\n\n")]
    [InlineData("o\n5\nr\n\nnot a signature\n")]
    public void TryOpen_MalformedNote_Fails(string note)
    {
        Assert.False(CheckpointNote.TryOpen(note, [_signer.PublicKey], out _, out _));
    }

    [Fact]
    public async Task TryOpen_BodyWithoutSignedExtensions_RoundTripsZeroSizeEmptyRoot()
    {
        var empty = new Checkpoint(Origin, 0, Rfc6962Hasher.EmptyRoot, []);

        var note = await CheckpointNote.SignAsync(empty, _signer);

        Assert.True(CheckpointNote.TryOpen(note, [_signer.PublicKey], out var opened, out var error), error);
        Assert.Equal(0, opened!.TreeSize);
        Assert.Empty(opened.Extensions);
    }
}
