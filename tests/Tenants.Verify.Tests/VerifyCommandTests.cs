using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Verify.Tests;

/// <summary>The auditor's tool, run as the auditor runs it: a process over a folder, judged by output and exit code.</summary>
public sealed class VerifyCommandTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "acme";
    private const string Origin = "verify.test/ledger/acme";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tenants-verify-{Guid.NewGuid():N}");
    private readonly TestLedgerSigner _signer = new("verify.test/ledger");

    private string KeyFile => Path.Combine(_folder, "key.pem");

    private string LedgerFolder => Path.Combine(_folder, "ledger");

    public async Task InitializeAsync()
    {
        var store = new InMemoryLedgerStore();
        var writer = new TestLedgerWriter(store, _signer, Tenant, Origin);
        await writer.AppendBlockAsync(5);
        await writer.AppendBlockAsync(3);
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

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "tenants-verify.dll"), .. arguments], false, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Verify_UntouchedLedger_PrintsValidAndExitsZero()
    {
        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("checkpoint\tcheckpoints/00000000000000000008.note\tvalid", output);
        Assert.DoesNotContain("INVALID", output);
    }

    [Fact]
    public async Task Verify_OneByteChangedInABlock_NamesTheBlockAndExitsOne()
    {
        var block = Path.Combine(LedgerFolder, "blocks", "00000000000000000005-00000000000000000007.jsonl");
        var bytes = await File.ReadAllBytesAsync(block);
        var at = Array.IndexOf(bytes, (byte)'6');
        bytes[at] = (byte)'9';
        await File.WriteAllBytesAsync(block, bytes);

        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile);

        Assert.True(exitCode == 1, output);
        Assert.Contains("block\tblocks/00000000000000000005-00000000000000000007.jsonl\tINVALID", output);
    }

    [Fact]
    public async Task Verify_WrongTenant_IsInvalid()
    {
        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", "globex", "--origin", Origin, "--key", KeyFile);

        Assert.True(exitCode == 1, output);
    }

    [Theory]
    [InlineData]
    [InlineData("--dir")]
    [InlineData("--dir", "x", "--tenant", "t")]
    public async Task Verify_MissingArguments_PrintsUsageAndExitsTwo(params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: tenants-verify", output);
    }

    [Fact]
    public async Task Verify_KeyFileMissing_SaysSoAndExitsTwo()
    {
        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", Path.Combine(_folder, "nope.pem"));

        Assert.Equal(2, exitCode);
        Assert.Contains("nope.pem", output);
    }
}
