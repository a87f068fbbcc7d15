using Tenants.Ledger.Storage;
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
        Assert.DoesNotContain("\tINVALID", output);
        Assert.Contains("0/2 blocks INVALID", output);
    }

    [Fact]
    public async Task Verify_OneByteChangedInABlock_NamesTheBlockAndExitsOne()
    {
        var block = Path.Combine(LedgerFolder, "blocks", "00000000000000000005-00000000000000000007.jsonl.gz");
        var bytes = LedgerBlockCodec.Decompress(await File.ReadAllBytesAsync(block), LedgerBlockCodec.MaxBlockBytes);
        var at = Array.IndexOf(bytes, (byte)'6');
        bytes[at] = (byte)'9';
        await File.WriteAllBytesAsync(block, LedgerBlockCodec.Compress(bytes));

        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile);

        Assert.True(exitCode == 1, output);
        Assert.Contains("block\tblocks/00000000000000000005-00000000000000000007.jsonl.gz\tINVALID", output);
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

    [Theory]
    [InlineData("--dir", "x", "--bundle", "y", "--tenant", "t", "--origin", "o", "--key", "k", "two ledgers")]
    [InlineData("--dir", "x", "--tenant", "t", "--origin", "o", "--key", "k", "--colour", "red", "unknown option '--colour'")]
    [InlineData("--dir", "x", "--tenant", "t", "--origin", "o", "give the signing public key")]
    [InlineData("--connection-string", "UseDevelopmentStorage=true", "--tenant", "t", "--origin", "o", "--key", "k", "go together")]
    public async Task Verify_BadArguments_SaysWhatIsWrongAndExitsTwo(params string[] argumentsAndMessage)
    {
        var (exitCode, output) = await RunAsync(argumentsAndMessage[..^1]);

        Assert.Equal(2, exitCode);
        Assert.Contains(argumentsAndMessage[^1].Replace("two ledgers", "name one ledger only", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Verify_RepeatedKeyWithAStrangerFirst_UsesTheKeyThatSigned()
    {
        using var stranger = new TestLedgerSigner("verify.test/ledger");
        var strangerFile = Path.Combine(_folder, "stranger.pem");
        await File.WriteAllTextAsync(strangerFile, stranger.PublicKey.ToPem());

        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", strangerFile, "--key", KeyFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("2 key(s)", output);
    }

    [Fact]
    public async Task Verify_KeysDocumentOfTheApi_IsAccepted()
    {
        var keys = Path.Combine(_folder, "keys.json");
        await File.WriteAllTextAsync(keys, System.Text.Json.JsonSerializer.Serialize(new
        {
            keys = new[] { new { name = _signer.PublicKey.Name, keyId = _signer.PublicKey.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), algorithm = "ECDSA-P256-SHA256", publicKeyPem = _signer.PublicKey.ToPem() } },
        }));

        var (exitCode, output) = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--keys", keys);

        Assert.True(exitCode == 0, output);
        Assert.Contains("summary\tcheckpoints\t2/2 checkpoints valid, 0/2 checkpoints INVALID", output);
    }

    [Fact]
    public async Task Verify_StateFile_IsWrittenAfterAValidRunAndCatchesALaterRollback()
    {
        var state = Path.Combine(_folder, "state.json");
        var first = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile, "--state", state);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("\"treeSize\": 8", await File.ReadAllTextAsync(state));

        File.Delete(Path.Combine(LedgerFolder, "blocks", "00000000000000000005-00000000000000000007.jsonl"));
        File.Delete(Path.Combine(LedgerFolder, "checkpoints", "00000000000000000008.note"));
        var alone = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile);
        var withState = await RunAsync("--dir", LedgerFolder, "--tenant", Tenant, "--origin", Origin, "--key", KeyFile, "--state", state);

        Assert.True(alone.ExitCode == 0, alone.Output);
        Assert.True(withState.ExitCode == 1, withState.Output);
        Assert.Contains("trusted\tcheckpoints/00000000000000000008.note\tINVALID: rollback", withState.Output);
        Assert.Contains("\"treeSize\": 8", await File.ReadAllTextAsync(state));
    }

    [Fact]
    public async Task Verify_Bundle_TakesTenantAndOriginFromTheManifestButTheAuditorsKey()
    {
        var store = new DirectoryLedgerStoreCopy(LedgerFolder);
        var bundle = Path.Combine(_folder, "ledger.tar");
        await using (var file = File.Create(bundle))
        {
            await Tenants.Ledger.Bundles.LedgerBundleWriter.WriteAsync(
                await store.LoadAsync(Tenant), Tenant, Origin, [_signer.PublicKey], new(), DateTimeOffset.UtcNow, file);
        }

        var (exitCode, output) = await RunAsync("--bundle", bundle, "--key", KeyFile);
        var (otherTenantExit, _) = await RunAsync("--bundle", bundle, "--key", KeyFile, "--tenant", "globex");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"verifying tenant {Tenant}, origin {Origin}", output);
        Assert.Equal(1, otherTenantExit);
    }
}
