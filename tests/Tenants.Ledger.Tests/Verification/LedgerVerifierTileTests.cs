using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Tests.Verification;

/// <summary>The verifier's tile fsck: stored tiles against tiles recomputed from the entries.</summary>
public sealed class LedgerVerifierTileTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "t1";
    private const string Origin = "ledger.example/tenants/t1";
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new(Origin);

    public async Task InitializeAsync()
    {
        // Checkpoints at 200, 520 and 530: full tiles tile/0/000 and tile/0/001, partials for each size.
        var writer = new TestLedgerWriter(_store, _signer, Tenant, Origin);
        await writer.AppendBlockAsync(200);
        await writer.AppendBlockAsync(320);
        await writer.AppendBlockAsync(10);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task VerifyAsync_UntouchedTiles_AreValid()
    {
        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Contains("tile\ttile/\tvalid: 6 tiles match the entries", report.Lines);
        Assert.StartsWith("VALID: ", report.Lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tile/0/001", 256)]
    [InlineData("tile/0/000.p/200", 0)]
    [InlineData("tile/0/002.p/18", 512)]
    [InlineData("tile/1/000.p/2", 0)]
    public async Task VerifyAsync_OneByteOfATileChanged_ReportsThatTile(string path, long firstLeaf)
    {
        var tile = _store.GetRaw(Tenant, path);
        tile[^1] ^= 0x01;
        _store.ReplaceRaw(Tenant, path, tile);

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Equal(path, report.FirstProblem!.Location);
        Assert.Equal(firstLeaf, report.FirstProblem.LeafIndex);
        Assert.StartsWith("hash value doesn't match", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains($"tile\t{path}\tINVALID: hash value doesn't match: the tile differs from the one recomputed from the entries", report.Lines);
        Assert.Single(report.Problems);
    }

    [Theory]
    [InlineData("tile/0/000", "tree size 530")]
    [InlineData("tile/0/002.p/8", "tree size 520")]
    public async Task VerifyAsync_TileDeleted_ReportsItNotFound(string path, string neededFor)
    {
        _store.Delete(Tenant, path);

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Equal(path, report.FirstProblem!.Location);
        Assert.Contains("not found: needed to prove " + neededFor, report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_PartialTileDeletedAfterItsFullTileWasWritten_IsStillProvableAndValid()
    {
        // Size 200's partial tile is superseded by tile/0/000, which holds the same first 200 hashes.
        _store.Delete(Tenant, "tile/0/000.p/200");

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
    }

    [Fact]
    public async Task VerifyAsync_TileForLeavesThatDoNotExist_IsReported()
    {
        _store.ReplaceRaw(Tenant, "tile/0/005", new byte[8192]);

        var report = await VerifyAsync();

        Assert.Equal("tile/0/005", report.FirstProblem!.Location);
        Assert.Contains("beyond the 530 entries present", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_LedgerWithoutAnyTiles_IsValidWithAWarning()
    {
        foreach (var path in _store.Paths(Tenant).Where(p => p.StartsWith("tile/", StringComparison.Ordinal)))
        {
            _store.Delete(Tenant, path);
        }

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Contains(report.Lines, l => l.StartsWith("info\ttile/\tno hash tiles stored", StringComparison.Ordinal));
    }

    private Task<LedgerVerificationReport> VerifyAsync() => new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);
}
