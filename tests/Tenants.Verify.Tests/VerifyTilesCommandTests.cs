using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Verify.Tests;

/// <summary>The auditor's tool over a downloaded folder that holds hash tiles (<c>tile/...</c>) next to blocks and checkpoints.</summary>
public sealed class VerifyTilesCommandTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "acme";
    private const string Origin = "verify.test/ledger/acme";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tenants-verify-tiles-{Guid.NewGuid():N}");
    private readonly TestLedgerSigner _signer = new("verify.test/ledger");

    private string KeyFile => Path.Combine(_folder, "key.pem");

    private string LedgerFolder => Path.Combine(_folder, "ledger");

    public async Task InitializeAsync()
    {
        var store = new InMemoryLedgerStore();
        var writer = new TestLedgerWriter(store, _signer, Tenant, Origin);
        await writer.AppendBlockAsync(300);
        await writer.AppendBlockAsync(5);
        foreach (var path in store.Paths(Tenant))
        {
            var file = Path.Combine(LedgerFolder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, store.GetRaw(Tenant, path));
        }

        await File.WriteAllTextAsync(KeyFile, _signer.PublicKey.ToPem());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    public void Dispose() => _signer.Dispose();

    private Task<(int ExitCode, string Output)> RunAsync() =>
        ProcessRunner.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "tenants-verify.dll"), "--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile],
            false,
            TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Verify_UntouchedTiles_ChecksThemAndExitsZero()
    {
        var (exitCode, output) = await RunAsync();

        Assert.True(exitCode == 0, output);
        Assert.Contains("tile\ttile/\tvalid: 4 tiles match the entries", output);
    }

    [Fact]
    public async Task Verify_OneByteOfAFullTileChanged_NamesTheTileAndExitsOne()
    {
        var tile = Path.Combine(LedgerFolder, "tile", "0", "000");
        var bytes = await File.ReadAllBytesAsync(tile);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(tile, bytes);

        var (exitCode, output) = await RunAsync();

        Assert.True(exitCode == 1, output);
        Assert.Contains("tile\ttile/0/000\tINVALID: hash value doesn't match", output);
    }
}
