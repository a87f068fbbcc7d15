using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Infrastructure.Tests.Storage;

/// <summary>
/// Stored blocks that are not what the writer produces, as an attacker with storage access (or a bad disk) could leave
/// them, verified through the real blob store: each is INVALID "invalid format" at that blob, and nothing else breaks.
/// </summary>
public sealed class BlobLedgerStoreBlockFormatTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Tenant = "tenant-1";
    private const string Origin = "tenants.example/ledger/tenant-1";
    private static readonly LedgerBlockName Middle = new(4, 7);
    private readonly string _containerName = $"ledger-{Guid.NewGuid():N}";
    private readonly TestLedgerSigner _signer = new("tenants.example/ledger");

    public static TheoryData<string> Damages => ["plain lines", "not gzip", "truncated", "bit flipped", "trailing bytes", "second member"];

    [Fact]
    public async Task Verify_UntouchedCompressedLedger_IsValid()
    {
        var store = await WriteLedgerAsync();

        var report = await VerifyAsync(store);

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(12, report.EntriesChecked);
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Verify_DamagedBlock_IsInvalidFormatAtThatBlob(string damage)
    {
        var store = await WriteLedgerAsync();
        var stored = await DownloadAsync(Middle);
        var lines = LedgerBlockCodec.Decompress(stored, LedgerBlockCodec.MaxBlockBytes);
        await OverwriteAsync(Middle, damage switch
        {
            "plain lines" => lines,
            "not gzip" => Encoding.UTF8.GetBytes("PK\u0003\u0004 this is a zip, not a block"),
            "truncated" => stored[..(stored.Length - 9)],
            "bit flipped" => Flip(stored, stored.Length / 2),
            "trailing bytes" => [.. stored, .. "junk"u8.ToArray()],
            "second member" => [.. stored, .. LedgerBlockCodec.Compress("{\"v\":1}\n"u8)],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        });

        var report = await VerifyAsync(store);

        Assert.False(report.IsValid);
        Assert.Equal(Middle.Path, report.FirstProblem!.Location);
        Assert.StartsWith("invalid format", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains(report.Lines, l => l.StartsWith($"block\t{Middle.Path}\tINVALID: invalid format", StringComparison.Ordinal));
        Assert.Contains(report.Lines, l => l == "block\tblocks/00000000000000000000-00000000000000000003.jsonl.gz\tvalid");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_DecompressionBomb_IsInvalidFormatWithoutInflatingIt(bool lyingTrailer)
    {
        var store = await WriteLedgerAsync();
        // 256 MiB of one byte: a few hundred KiB compressed, far beyond what four entries may hold.
        var bomb = Bomb(256 << 20);
        if (lyingTrailer)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bomb.AsSpan(bomb.Length - 4), 100);
        }

        await OverwriteAsync(Middle, bomb);

        var report = await VerifyAsync(store);

        Assert.Equal(Middle.Path, report.FirstProblem!.Location);
        Assert.StartsWith("invalid format", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains(lyingTrailer ? "more than the 100 bytes its trailer declares" : "more than the", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains(report.Lines, l => l.StartsWith("block\tblocks/00000000000000000008-00000000000000000011.jsonl.gz\tvalid", StringComparison.Ordinal));
    }

    public void Dispose() => _signer.Dispose();

    private static byte[] Bomb(int size)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            chunk.AsSpan().Fill((byte)'{');
            for (var written = 0; written < size; written += chunk.Length)
            {
                gzip.Write(chunk);
            }
        }

        return output.ToArray();
    }

    private static byte[] Flip(byte[] stored, int at)
    {
        var copy = (byte[])stored.Clone();
        copy[at] ^= 0x10;
        return copy;
    }

    private async Task<BlobLedgerStore> WriteLedgerAsync()
    {
        var store = new BlobLedgerStore(Container());
        var writer = new TestLedgerWriter(store, _signer, Tenant, Origin);
        for (var i = 0; i < 3; i++)
        {
            await writer.AppendBlockAsync(4);
        }

        return store;
    }

    private Task<LedgerVerificationReport> VerifyAsync(BlobLedgerStore store) =>
        new LedgerVerifier(store, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);

    private async Task<byte[]> DownloadAsync(LedgerBlockName name) =>
        (await Container().GetBlobClient($"tenants/{Tenant}/{name.Path}").DownloadContentAsync()).Value.Content.ToArray();

    // Azurite enforces no WORM policy, so an overwrite stands in for an attacker with storage access.
    private Task OverwriteAsync(LedgerBlockName name, byte[] content) =>
        Container().GetBlobClient($"tenants/{Tenant}/{name.Path}").UploadAsync(new BinaryData(content), overwrite: true);

    private BlobContainerClient Container() => new(azurite.ConnectionString, _containerName);
}
