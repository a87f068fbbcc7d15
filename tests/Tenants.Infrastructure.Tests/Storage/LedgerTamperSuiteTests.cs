using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;
using Tenants.Ledger.Verification;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Infrastructure.Tests.Storage;

/// <summary>
/// The tamper catalogue (research ledger.md §c.3) against Azurite: two tenants' ledgers are written through
/// <see cref="BlobLedgerStore"/>, an attacker with a raw container client changes them (Azurite, like storage without
/// WORM, permits it), and the verifier must say INVALID at the right blob, leaf and line. Catalogue numbers in comments.
/// </summary>
public sealed class LedgerTamperSuiteTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime, IDisposable
{
    private const string Acme = "acme";
    private const string Globex = "globex";
    private const int BlockSize = 8;
    private const string KeyName = "tamper.test/ledger";
    private readonly string _containerName = $"tamper-{Guid.NewGuid():N}";
    private readonly TestLedgerSigner _signer = new(KeyName);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tamper-suite-{Guid.NewGuid():N}");
    private BlobContainerClient _attacker = null!;
    private BlobLedgerStore _store = null!;

    private static string Origin(string tenant) => $"{KeyName}/{tenant}";

    private static LedgerBlockName Block(int number) => new(number * BlockSize, (number * BlockSize) + BlockSize - 1);

    private static string Cp(long size) => LedgerCheckpointName.Path(size);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _attacker = new BlobContainerClient(azurite.ConnectionString, _containerName);
        _store = new BlobLedgerStore(_attacker);
        foreach (var tenant in new[] { Acme, Globex })
        {
            var writer = new TestLedgerWriter(_store, _signer, tenant, Origin(tenant));
            for (var i = 0; i < 4; i++)
            {
                await writer.AppendBlockAsync(BlockSize);
            }
        }

        await File.WriteAllTextAsync(KeyFile, _signer.PublicKey.ToPem());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _signer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string KeyFile => Path.Combine(_folder, "key.pem");

    // #44: the whole ledger re-hashed against every checkpoint.
    [Fact]
    public async Task Untouched_BothTenants_AreValidInLibraryAndCli()
    {
        var acme = await VerifyAsync(Acme);
        var globex = await VerifyAsync(Globex);
        var (exitCode, output) = await CliAsync(Acme);

        Assert.True(acme.IsValid, string.Join('\n', acme.Lines));
        Assert.True(globex.IsValid, string.Join('\n', globex.Lines));
        Assert.Equal(32, acme.TreeSize);
        Assert.True(exitCode == 0, output);
        Assert.Contains("summary\tblocks\t4/4 blocks valid, 0/4 blocks INVALID", output);
    }

    // #26
    [Fact]
    public async Task OneByteOfAnEntryModified_IsHashMismatchAtThatBlock()
    {
        await EditBlockAsync(Acme, Block(1), l => l[2] = l[2].Replace("SELECT 10", "SELECT 17", StringComparison.Ordinal));

        var report = await VerifyAsync(Acme);

        AssertProblem(report, Block(1).Path, 8, null, "hash value doesn't match");
        Assert.True((await VerifyAsync(Globex)).IsValid);
    }

    // #27
    [Fact]
    public async Task BlockDeleted_IsNotFoundForItsLeaves()
    {
        await DeleteAsync(Acme, Block(1).Path);

        AssertProblem(await VerifyAsync(Acme), Block(1).Path, 8, null, "not found: no block holds leaves 8-15");
    }

    // #27/#29 at block level
    [Fact]
    public async Task TwoBlocksSwapped_IsReportedAtTheFirstLineOfTheFirst()
    {
        var one = await DownloadAsync(Acme, Block(1).Path);
        await UploadAsync(Acme, Block(1).Path, await DownloadAsync(Acme, Block(2).Path));
        await UploadAsync(Acme, Block(2).Path, one);

        AssertProblem(await VerifyAsync(Acme), Block(1).Path, 8, 1, "reordered");
    }

    // #26 (insertion)
    [Fact]
    public async Task EntryInserted_IsReportedAtTheInsertedLine()
    {
        await EditBlockAsync(Acme, Block(1), l => l.Insert(4, l[2]));

        var report = await VerifyAsync(Acme);

        AssertProblem(report, Block(1).Path, 12, 5, "entry says index 10 but sits at leaf 12");
        Assert.Contains(report.Problems, p => p.Message.Contains("declares 8 entries but the block holds 9", StringComparison.Ordinal));
    }

    // #29
    [Fact]
    public async Task TwoEntriesReorderedInABlock_IsReportedAtTheFirstMovedLine()
    {
        await EditBlockAsync(Acme, Block(1), l => (l[2], l[3]) = (l[3], l[2]));

        AssertProblem(await VerifyAsync(Acme), Block(1).Path, 10, 3, "entry says index 11 but sits at leaf 10");
    }

    // #30: invisible to the ledger alone, caught with the auditor's trusted checkpoint.
    [Fact]
    public async Task TailTruncatedWithItsCheckpoint_IsOnlyCaughtWithTrustedState()
    {
        var trusted = await TrustedAsync(Acme, 32);
        await DeleteAsync(Acme, Block(3).Path);
        await DeleteAsync(Acme, Cp(32));
        // A careful attacker also removes the hash tile written for size 32, which would otherwise give it away.
        await DeleteAsync(Acme, "tile/0/000.p/32");

        var alone = await VerifyAsync(Acme);
        var withState = await VerifyAsync(Acme, trusted);

        Assert.True(alone.IsValid, string.Join('\n', alone.Lines));
        Assert.Equal(24, alone.TreeSize);
        AssertProblem(withState, Cp(32), 32, null, "rollback: the trusted checkpoint is size 32");
    }

    // #30: the auditor's state file from an earlier run, through the CLI on the container.
    [Fact]
    public async Task RolledBackToAnOlderCheckpoint_CliWithStateFileSaysRollback()
    {
        var state = Path.Combine(_folder, "acme.state.json");
        var first = await CliAsync(Acme, "--state", state);
        Assert.True(first.ExitCode == 0, first.Output);
        foreach (var path in new[] { Block(2).Path, Block(3).Path, Cp(24), Cp(32) })
        {
            await DeleteAsync(Acme, path);
        }

        var (exitCode, output) = await CliAsync(Acme, "--state", state);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"trusted\t{Cp(32)}\tINVALID: rollback", output);
        Assert.Contains("\"treeSize\": 32", await File.ReadAllTextAsync(state));
    }

    // #30/#32: an older genuine checkpoint presented under a newer name.
    [Fact]
    public async Task OlderCheckpointReplayedUnderNewerName_IsMoved()
    {
        await UploadAsync(Acme, Cp(24), await DownloadAsync(Acme, Cp(16)));

        AssertProblem(await VerifyAsync(Acme), Cp(24), null, null, "has been moved from its original location: the note is for tree size 16");
    }

    // #31
    [Fact]
    public async Task MiddleCheckpointDeleted_BreaksTheChainAtTheNextOne()
    {
        await DeleteAsync(Acme, Cp(16));

        AssertProblem(await VerifyAsync(Acme), Cp(24), null, null, "chain broken");
    }

    // #17
    [Fact]
    public async Task SignatureByteFlipped_IsSignatureVerificationFailed()
    {
        var lines = Encoding.UTF8.GetString(await DownloadAsync(Acme, Cp(16))).Split('\n');
        var blob = Convert.FromBase64String(lines[^2].Split(' ')[2]);
        blob[10] ^= 0x01;
        lines[^2] = $"\u2014 {KeyName} {Convert.ToBase64String(blob)}";
        await UploadAsync(Acme, Cp(16), Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        AssertProblem(await VerifyAsync(Acme), Cp(16), null, null, "signature verification failed");
    }

    // #33
    [Fact]
    public async Task SignatureLineRemoved_IsInvalidFormat()
    {
        var note = Encoding.UTF8.GetString(await DownloadAsync(Acme, Cp(16)));
        await UploadAsync(Acme, Cp(16), Encoding.UTF8.GetBytes(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 2)]));

        AssertProblem(await VerifyAsync(Acme), Cp(16), null, null, "invalid format: no signature lines");
    }

    // #34
    [Fact]
    public async Task CheckpointSignedByAnUnknownKey_IsPublicKeyNotFound()
    {
        using var stranger = new TestLedgerSigner(KeyName);
        Assert.True(CheckpointNote.TryOpen(Encoding.UTF8.GetString(await DownloadAsync(Acme, Cp(24))), [_signer.PublicKey], out var checkpoint, out _));
        await UploadAsync(Acme, Cp(24), Encoding.UTF8.GetBytes(await CheckpointNote.SignAsync(checkpoint!, stranger)));

        AssertProblem(await VerifyAsync(Acme), Cp(24), null, null, "public key not found");
    }

    // #32 (entries): another tenant's genuine block copied over this tenant's.
    [Fact]
    public async Task AnotherTenantsBlockSwappedIn_IsMovedAtItsFirstLine()
    {
        await UploadAsync(Acme, Block(1).Path, await DownloadAsync(Globex, Block(1).Path));

        var report = await VerifyAsync(Acme);

        AssertProblem(report, Block(1).Path, 8, 1, "has been moved from its original location: entry origin is 'tamper.test/ledger/globex'");
        Assert.True((await VerifyAsync(Globex)).IsValid);
    }

    // #32 (checkpoints): another tenant's genuine checkpoint copied into this tenant's prefix.
    [Fact]
    public async Task CheckpointMovedFromAnotherTenant_IsMovedByOrigin()
    {
        await UploadAsync(Acme, Cp(16), await DownloadAsync(Globex, Cp(16)));

        AssertProblem(await VerifyAsync(Acme), Cp(16), null, null, "has been moved from its original location: the note's origin is 'tamper.test/ledger/globex'");
    }

    // #35: the operator (who holds the key) rewrites the newest block and re-signs; alone it looks valid.
    [Fact]
    public async Task SplitView_SecondGenuineCheckpointForTheSameSize_IsSecurityErrorWithBothNotes()
    {
        var trusted = await TrustedAsync(Acme, 32);
        await EditBlockAsync(Acme, Block(3), l => l[0] = l[0].Replace("SELECT 24", "SELECT 99", StringComparison.Ordinal));
        var forked = await ResignAsync(Acme, 32, previousSize: 24);
        await DeleteTilesAsync(Acme); // tiles are derived data: without them the forged history is consistent alone

        var alone = await VerifyAsync(Acme);
        var withState = await VerifyAsync(Acme, trusted);

        Assert.True(alone.IsValid, string.Join('\n', alone.Lines));
        var problem = AssertProblem(withState, Cp(32), 32, null, "SECURITY ERROR: split view: two genuinely signed checkpoints for size 32 with different roots");
        Assert.Equal(["trusted note:\n" + trusted.Note, "ledger note:\n" + forked], problem.Evidence);
    }

    // #28
    [Fact]
    public async Task BlockWithCorruptFormat_IsInvalidFormat()
    {
        await UploadAsync(Acme, Block(2).Path, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x01, 0x02]);

        var report = await VerifyAsync(Acme);

        // Undecodable bytes are caught when decoding (no line) or, for plain text, at the first line.
        Assert.False(report.IsValid);
        Assert.Equal((Block(2).Path, 16L), (report.FirstProblem!.Location, report.FirstProblem.LeafIndex));
        Assert.Contains("invalid format", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    // #40: create-only writes; the store never overwrites and the service answers 409.
    [Fact]
    public async Task OverwriteThroughTheStore_IsRefusedWith409AndChangesNothing()
    {
        var before = await DownloadAsync(Acme, Block(0).Path);
        var block = await _store.ReadBlockAsync(Acme, Block(0));

        var storeError = await Assert.ThrowsAsync<LedgerBlobExistsException>(() => _store.WriteBlockAsync(Acme, block));
        var raw = await Assert.ThrowsAsync<RequestFailedException>(() => _attacker.GetBlobClient($"tenants/{Acme}/{Cp(8)}").UploadAsync(
            BinaryData.FromString("forged"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));

        Assert.Equal(409, ((RequestFailedException)storeError.InnerException!).Status);
        Assert.Equal(409, raw.Status);
        Assert.Equal(before, await DownloadAsync(Acme, Block(0).Path));
        Assert.True((await VerifyAsync(Acme)).IsValid);
    }

    // #42: the validator goes on past the first fault, counts every one, and exits 1.
    [Fact]
    public async Task SeveralTampers_AreAllCountedAndTheCliExitsOne()
    {
        await EditBlockAsync(Acme, Block(0), l => l[1] = l[1].Replace("SELECT 1", "SELECT 2", StringComparison.Ordinal));
        await DeleteAsync(Acme, Cp(16));
        await EditBlockAsync(Acme, Block(2), l => (l[0], l[1]) = (l[1], l[0]));
        await UploadAsync(Acme, Cp(32), await DownloadAsync(Globex, Cp(32)));

        var report = await VerifyAsync(Acme);
        var (exitCode, output) = await CliAsync(Acme);

        Assert.Equal(4, report.Problems.Count(p => !p.Location.StartsWith(LedgerTileName.Folder, StringComparison.Ordinal)));
        Assert.Contains(report.Problems, p => p.Location.StartsWith(LedgerTileName.Folder, StringComparison.Ordinal)); // the edited entries no longer match their tiles
        Assert.Equal(Block(0).Path, report.FirstProblem!.Location);
        Assert.True(exitCode == 1, output);
        Assert.Contains("summary\tblocks\t2/4 blocks valid, 2/4 blocks INVALID", output);
        Assert.Contains("summary\tcheckpoints\t1/3 checkpoints valid, 2/3 checkpoints INVALID", output);
        Assert.Contains($"block\t{Block(2).Path}\tINVALID: line 1: entry says index 17 but sits at leaf 16", output);
    }

    // The CLI over a read-only SAS URL, as an auditor given only read access would run it.
    [Fact]
    public async Task CliWithContainerSasUrl_NamesTheTamperedBlock()
    {
        await EditBlockAsync(Acme, Block(3), l => l[7] = l[7].Replace("SELECT 31", "SELECT 30", StringComparison.Ordinal));
        var sas = _attacker.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));

        var (exitCode, output) = await RunCliAsync("--container", sas.ToString(), "--tenant", Acme, "--origin", Origin(Acme), "--key", KeyFile);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"block\t{Block(3).Path}\tINVALID: hash value doesn't match", output);
    }

    private static LedgerProblem AssertProblem(LedgerVerificationReport report, string location, long? leaf, int? line, string message)
    {
        Assert.False(report.IsValid);
        var problem = report.FirstProblem!;
        Assert.True(problem.Location == location && problem.LeafIndex == leaf && problem.Line == line, $"first problem: {problem}\n{string.Join('\n', report.Lines)}");
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        return problem;
    }

    private Task<LedgerVerificationReport> VerifyAsync(string tenant, LedgerTrustedCheckpoint? trusted = null) =>
        new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(tenant, Origin(tenant), new LedgerVerificationOptions { Trusted = trusted });

    private async Task<LedgerTrustedCheckpoint> TrustedAsync(string tenant, long size)
    {
        Assert.True(LedgerTrustedCheckpoint.TryFromNote(await _store.ReadCheckpointAsync(tenant, size), [_signer.PublicKey], out var trusted, out var error), error);
        return trusted!;
    }

    // Signs, with the real key, a new checkpoint over what the blocks hold now, chained to the genuine previous one.
    private async Task<string> ResignAsync(string tenant, long size, long previousSize)
    {
        var tree = new CompactRange();
        await foreach (var name in _store.ListBlocksAsync(tenant))
        {
            foreach (var entry in (await _store.ReadBlockAsync(tenant, name)).Entries)
            {
                tree.Append(Rfc6962Hasher.HashLeaf(entry.Span));
            }
        }

        var previous = await _store.ReadCheckpointAsync(tenant, previousSize);
        var extensions = CheckpointExtensions.Create(DateTimeOffset.UtcNow, previous, previousSize, size, _signer.PublicKey);
        var note = await CheckpointNote.SignAsync(new Checkpoint(Origin(tenant), size, tree.GetRootHash(), extensions), _signer);
        await UploadAsync(tenant, Cp(size), Encoding.UTF8.GetBytes(note));
        return note;
    }

    private async Task EditBlockAsync(string tenant, LedgerBlockName name, Action<List<string>> edit) =>
        await UploadAsync(tenant, name.Path, StoredBlockEditor.Edit(name, await DownloadAsync(tenant, name.Path), edit));

    private async Task<byte[]> DownloadAsync(string tenant, string path) =>
        (await _attacker.GetBlobClient($"tenants/{tenant}/{path}").DownloadContentAsync()).Value.Content.ToArray();

    private Task UploadAsync(string tenant, string path, byte[] content) =>
        _attacker.GetBlobClient($"tenants/{tenant}/{path}").UploadAsync(new BinaryData(content), overwrite: true);

    private Task DeleteAsync(string tenant, string path) => _attacker.DeleteBlobAsync($"tenants/{tenant}/{path}");

    private async Task DeleteTilesAsync(string tenant)
    {
        await foreach (var blob in _attacker.GetBlobsAsync(new GetBlobsOptions { Prefix = $"tenants/{tenant}/{LedgerTileName.Folder}" }))
        {
            await _attacker.DeleteBlobAsync(blob.Name);
        }
    }

    private Task<(int ExitCode, string Output)> CliAsync(string tenant, params string[] more) =>
        RunCliAsync(["--connection-string", azurite.ConnectionString, "--container-name", _containerName, "--tenant", tenant, "--origin", Origin(tenant), "--key", KeyFile, .. more]);

    private static Task<(int ExitCode, string Output)> RunCliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "tenants-verify.dll"), .. arguments], false, TimeSpan.FromSeconds(60));
}
