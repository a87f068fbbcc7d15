using System.Formats.Tar;
using System.Text;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Tests.Bundles;

public sealed class LedgerBundleTests : IDisposable
{
    private const string Tenant = "t1";
    private const string Origin = "ledger.example/tenants/t1";
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new(Origin);

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task Bundle_WholeLedger_HoldsTheStoredBytesAndVerifiesWithItsKeys()
    {
        await WriteLedgerAsync(blocks: 3, tail: true);

        var bundle = await ExportAsync(new LedgerBundleRange());

        Assert.Equal(Tenant, bundle.Manifest.TenantId);
        Assert.Equal(Origin, bundle.Manifest.Origin);
        Assert.Equal(0, bundle.Manifest.FirstLeaf);
        Assert.Equal(15, bundle.Manifest.LastLeaf);
        Assert.Equal([4L, 8L, 12L], bundle.Manifest.CheckpointSizes);
        Assert.Equal(Created, bundle.Manifest.Created);
        var key = Assert.Single(bundle.Keys);
        Assert.Equal((_signer.PublicKey.Name, _signer.PublicKey.KeyId), (key.Name, key.KeyId));
        var block = new LedgerBlockName(4, 7);
        Assert.Equal(_store.GetRaw(Tenant, block.Path), (await bundle.ReadBlockAsync("ignored", block)).Encode());
        var report = await new LedgerVerifier(bundle, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(12, report.TreeSize);
        Assert.Equal(16, report.EntriesChecked);
    }

    [Fact]
    public async Task Bundle_FromAndToCheckpoints_VerifiesFromItsFrontier()
    {
        await WriteLedgerAsync(blocks: 4, tail: true);

        var bundle = await ExportAsync(new LedgerBundleRange(FromSize: 8, ToSize: 12));
        var report = await new LedgerVerifier(bundle, [_signer.PublicKey])
            .VerifyAsync(Tenant, Origin, new LedgerVerificationOptions { Start = bundle.Start });

        Assert.Equal([8L, 12L], bundle.Manifest.CheckpointSizes);
        Assert.Equal(8, bundle.Manifest.FirstLeaf);
        Assert.Equal(11, bundle.Manifest.LastLeaf);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(12, report.TreeSize);
        Assert.Equal(4, report.EntriesChecked);
    }

    [Fact]
    public async Task Bundle_OfATamperedLedger_ShowsTheAuditorTheSameFault()
    {
        await WriteLedgerAsync(blocks: 3, tail: false);
        var block = new LedgerBlockName(4, 7);
        _store.ReplaceRaw(Tenant, block.Path, StoredBlockEditor.Edit(block, _store.GetRaw(Tenant, block.Path), l => l.Insert(1, l[0])));

        var bundle = await ExportAsync(new LedgerBundleRange());
        var report = await new LedgerVerifier(bundle, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);

        Assert.False(report.IsValid);
        Assert.Equal(new LedgerProblem(block.Path, 5, 2, report.FirstProblem!.Message), report.FirstProblem);
    }

    [Fact]
    public async Task Bundle_WrittenToAnAsyncOnlyStream_NeverWritesSynchronously()
    {
        await WriteLedgerAsync(blocks: 2, tail: false);
        using var inner = new MemoryStream();
        await using var response = new AsyncOnlyStream(inner);

        await LedgerBundleWriter.WriteAsync(_store, Tenant, Origin, [_signer.PublicKey], new LedgerBundleRange(), Created, response);

        inner.Position = 0;
        Assert.Equal([4L, 8L], (await LedgerBundleStore.OpenAsync(inner)).Manifest.CheckpointSizes);
    }

    [Theory]
    [InlineData(5L, null)]
    [InlineData(null, 6L)]
    [InlineData(8L, 4L)]
    public async Task Bundle_RangeNotOnCheckpoints_IsRefused(long? from, long? to)
    {
        await WriteLedgerAsync(blocks: 3, tail: false);

        await Assert.ThrowsAsync<ArgumentException>(() => ExportAsync(new LedgerBundleRange(from, to)));
    }

    [Fact]
    public async Task Open_TarWithoutManifest_IsNotABundle()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "blocks/x") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        tar.Position = 0;
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => LedgerBundleStore.OpenAsync(tar));
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_OtherVersion_IsRefusedByName()
    {
        var json = Encoding.UTF8.GetBytes("""{"format":"tenants-ledger-bundle","version":2,"tenant":"t","origin":"o"}""");

        var error = Assert.Throws<InvalidDataException>(() => LedgerBundleManifest.Parse(json));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    private async Task WriteLedgerAsync(int blocks, bool tail)
    {
        var writer = new TestLedgerWriter(_store, _signer, Tenant, Origin);
        for (var i = 0; i < blocks; i++)
        {
            await writer.AppendBlockAsync(4);
        }

        if (tail)
        {
            await writer.AppendBlockAsync(4, checkpoint: false);
        }
    }

    private async Task<LedgerBundleStore> ExportAsync(LedgerBundleRange range)
    {
        using var stream = new MemoryStream();
        await LedgerBundleWriter.WriteAsync(_store, Tenant, Origin, [_signer.PublicKey], range, Created, stream);
        stream.Position = 0;
        return await LedgerBundleStore.OpenAsync(stream);
    }

    // Like an HTTP response body in ASP.NET Core: synchronous writes are refused.
    private sealed class AsyncOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous write");

        public override void Flush() => throw new InvalidOperationException("synchronous flush");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
