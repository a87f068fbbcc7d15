using System.Text;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Proofs;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Tests.Proofs;

public sealed class LedgerProofsTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "acme";
    private const string Origin = "proofs.test/ledger/acme";
    private const string Other = "globex";
    private const string OtherOrigin = "proofs.test/ledger/globex";
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new("proofs.test/ledger");

    public async Task InitializeAsync()
    {
        // acme: checkpoints at 100, 300 (crossing a full tile) and 301; globex: one checkpoint at 5.
        var acme = new TestLedgerWriter(_store, _signer, Tenant, Origin);
        await acme.AppendBlockAsync(100);
        await acme.AppendBlockAsync(200);
        await acme.AppendBlockAsync(1);
        var globex = new TestLedgerWriter(_store, _signer, Other, OtherOrigin);
        await globex.AppendBlockAsync(5);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _signer.Dispose();

    [Theory]
    [InlineData(0, 100)]
    [InlineData(99, 100)]
    [InlineData(42, 300)]
    [InlineData(255, 300)]
    [InlineData(256, 301)]
    [InlineData(300, 301)]
    public async Task GetInclusionProofAsync_CheckpointedSize_VerifiesOfflineAgainstTheSignedNote(long index, long size)
    {
        var proof = await new LedgerProofs(_store, Tenant).GetInclusionProofAsync(index, size);

        // What a client does with the answer alone and the published key.
        Assert.True(CheckpointNote.TryOpen(proof.Checkpoint, [_signer.PublicKey], out var checkpoint, out var error), error);
        Assert.Equal(size, checkpoint!.TreeSize);
        Assert.Equal(TestLedgerWriter.Entry(Origin, Tenant, index), proof.Entry.ToArray());
        Assert.True(MerkleProofs.VerifyInclusion(index, size, Rfc6962Hasher.HashLeaf(proof.Entry.Span), proof.Hashes, checkpoint.RootHash));
    }

    [Theory]
    [InlineData(100, 300)]
    [InlineData(100, 301)]
    [InlineData(300, 301)]
    [InlineData(301, 301)]
    public async Task GetConsistencyProofAsync_CheckpointedSizes_VerifiesOfflineAgainstBothNotes(long from, long to)
    {
        var proof = await new LedgerProofs(_store, Tenant).GetConsistencyProofAsync(from, to);

        Assert.True(CheckpointNote.TryOpen(proof.FromCheckpoint, [_signer.PublicKey], out var older, out _));
        Assert.True(CheckpointNote.TryOpen(proof.ToCheckpoint, [_signer.PublicKey], out var newer, out _));
        Assert.True(MerkleProofs.VerifyConsistency(older!.TreeSize, newer!.TreeSize, older.RootHash, newer.RootHash, proof.Hashes));
    }

    [Theory]
    [InlineData(100, 100, "Leaf index 100 is not in a tree of size 100")]
    [InlineData(-1, 100, "must not be negative")]
    [InlineData(0, -5, "must not be negative")]
    [InlineData(3, 150, "Tree size 150 is not a checkpointed size")]
    public async Task GetInclusionProofAsync_BadRequest_SaysWhatIsWrong(long index, long size, string expected)
    {
        var error = await Assert.ThrowsAsync<LedgerProofRequestException>(() => new LedgerProofs(_store, Tenant).GetInclusionProofAsync(index, size));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, 100, "'from' must not exceed 'to'")]
    [InlineData(-1, 100, "must not be negative")]
    [InlineData(100, 200, "Tree size 200 is not a checkpointed size")]
    public async Task GetConsistencyProofAsync_BadRequest_SaysWhatIsWrong(long from, long to, string expected)
    {
        var error = await Assert.ThrowsAsync<LedgerProofRequestException>(() => new LedgerProofs(_store, Tenant).GetConsistencyProofAsync(from, to));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInclusionProofAsync_AnotherTenantsSize_GivesNothingOfTheFirstTenant()
    {
        // globex asks for sizes and indices that exist only in acme's ledger.
        var globex = new LedgerProofs(_store, Other);

        await Assert.ThrowsAsync<LedgerProofRequestException>(() => globex.GetInclusionProofAsync(42, 300));
        await Assert.ThrowsAsync<LedgerProofRequestException>(() => globex.GetConsistencyProofAsync(5, 100));
        var own = await globex.GetInclusionProofAsync(4, 5);
        Assert.Contains("\"tenant\":\"globex\"", Encoding.UTF8.GetString(own.Entry.Span), StringComparison.Ordinal);
        Assert.StartsWith(OtherOrigin + "\n", own.Checkpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInclusionProofAsync_TileTamperedWith_FailsInsteadOfHandingOutABadProof()
    {
        var path = "tile/0/001.p/44";
        var tile = _store.GetRaw(Tenant, path);
        tile[5] ^= 1;
        _store.ReplaceRaw(Tenant, path, tile);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new LedgerProofs(_store, Tenant).GetInclusionProofAsync(3, 300));

        Assert.Contains("do not rebuild the signed root of checkpoints/00000000000000000300.note", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInclusionProofAsync_TileDeleted_NamesTheMissingTile()
    {
        _store.Delete(Tenant, "tile/0/001.p/44");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new LedgerProofs(_store, Tenant).GetInclusionProofAsync(3, 300));

        Assert.Contains("tile/0/001.p/44", error.Message, StringComparison.Ordinal);
        Assert.IsType<LedgerTileMissingException>(error.InnerException);
    }

    [Fact]
    public async Task Store_RewritingATileWithOtherBytes_IsRefused()
    {
        var name = new LedgerTileName(0, 0, 100);
        var same = _store.GetRaw(Tenant, name.Path);
        var other = (byte[])same.Clone();
        other[0] ^= 1;

        await _store.WriteTileAsync(Tenant, name, same);
        await Assert.ThrowsAsync<LedgerBlobExistsException>(() => _store.WriteTileAsync(Tenant, name, other));
    }
}
