using System.Text;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Tests.Verification;

public sealed class LedgerVerifierTests : IDisposable
{
    private const string Tenant = "t1";
    private const string Origin = "ledger.example/tenants/t1";
    private const int BlockSize = 8;
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new(Origin);
    private readonly TestLedgerSigner _stranger = new(Origin);

    public void Dispose()
    {
        _signer.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public async Task VerifyAsync_UntouchedLedger_IsValid()
    {
        await WriteLedgerAsync();

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Null(report.FirstProblem);
        Assert.Equal(32, report.TreeSize);
        Assert.Equal(32, report.EntriesChecked);
        Assert.Equal(4, report.BlocksChecked);
        Assert.Equal(4, report.CheckpointsChecked);
        Assert.Contains($"block\t{Block(0).Path}\tvalid", report.Lines);
        Assert.Contains($"checkpoint\t{LedgerCheckpointName.Path(32)}\tvalid", report.Lines);
        Assert.Contains("summary\tblocks\t4/4 blocks valid, 0/4 blocks INVALID", report.Lines);
        Assert.Contains("summary\tcheckpoints\t4/4 checkpoints valid, 0/4 checkpoints INVALID", report.Lines);
        Assert.Contains("summary\tleaves\tleaves 0-31 covered, 32 entries checked", report.Lines);
        Assert.Contains("summary\tsigned\tnewest verified checkpoint: size 32, time 2026-11-23T09:32:00.000000Z", report.Lines);
        Assert.StartsWith("VALID", report.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EmptyLedger_IsValid()
    {
        var report = await VerifyAsync();

        Assert.True(report.IsValid);
        Assert.Equal(0, report.TreeSize);
    }

    [Fact]
    public async Task VerifyAsync_OneByteOfEventChanged_ReportsHashMismatchAtThatBlock()
    {
        await WriteLedgerAsync();
        EditLines(Block(1), lines => lines[2] = lines[2].Replace("SELECT 10", "SELECT 19", StringComparison.Ordinal));

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Equal(Block(1).Path, report.FirstProblem!.Location);
        Assert.Equal(8, report.FirstProblem.LeafIndex);
        Assert.Contains("hash value doesn't match", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Equal(8, report.TreeSize);
        Assert.Contains(report.Lines, l => l.StartsWith($"block\t{Block(1).Path}\tINVALID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_HeaderByteChanged_ReportsTheLine()
    {
        await WriteLedgerAsync();
        EditLines(Block(2), lines => lines[4] = lines[4].Replace("\"index\":20", "\"index\":21", StringComparison.Ordinal));

        var report = await VerifyAsync();

        Assert.Equal(new LedgerProblem(Block(2).Path, 20, 5, report.FirstProblem!.Message), report.FirstProblem);
        Assert.Contains("index 21", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_BlockDeleted_ReportsMissingLeaves()
    {
        await WriteLedgerAsync();
        _store.Delete(Tenant, Block(1).Path);

        var report = await VerifyAsync();

        Assert.Equal(Block(1).Path, report.FirstProblem!.Location);
        Assert.Equal(8, report.FirstProblem.LeafIndex);
        Assert.StartsWith("not found", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Equal(8, report.TreeSize);
    }

    [Fact]
    public async Task VerifyAsync_TwoBlocksContentsSwapped_ReportsFirstLineOfFirstBlock()
    {
        await WriteLedgerAsync();
        var one = _store.GetRaw(Tenant, Block(1).Path);
        _store.ReplaceRaw(Tenant, Block(1).Path, _store.GetRaw(Tenant, Block(2).Path));
        _store.ReplaceRaw(Tenant, Block(2).Path, one);

        var report = await VerifyAsync();

        Assert.Equal(Block(1).Path, report.FirstProblem!.Location);
        Assert.Equal(1, report.FirstProblem.Line);
        Assert.Equal(8, report.FirstProblem.LeafIndex);
        Assert.Contains("reordered", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EntryInserted_ReportsTheInsertedLine()
    {
        await WriteLedgerAsync();
        EditLines(Block(1), lines => lines.Insert(4, lines[2]));

        var report = await VerifyAsync();

        Assert.Equal(Block(1).Path, report.FirstProblem!.Location);
        Assert.Equal(5, report.FirstProblem.Line);
        Assert.Equal(12, report.FirstProblem.LeafIndex);
        Assert.Contains(report.Problems, p => p.Message.Contains("declares 8 entries but the block holds 9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_LastBlockDeleted_ReportsTruncation()
    {
        await WriteLedgerAsync();
        _store.Delete(Tenant, Block(3).Path);

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Equal(Block(3).Path, report.FirstProblem!.Location);
        Assert.Equal(24, report.FirstProblem.LeafIndex);
        Assert.Contains("truncated", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Equal(24, report.TreeSize);
    }

    [Fact]
    public async Task VerifyAsync_TailEntriesCut_ReportsCountMismatch()
    {
        await WriteLedgerAsync();
        EditLines(Block(3), lines => lines.RemoveRange(6, 2));

        var report = await VerifyAsync();

        Assert.Equal(Block(3).Path, report.FirstProblem!.Location);
        Assert.Contains("holds 6", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_SignatureForged_ReportsThatCheckpoint()
    {
        await WriteLedgerAsync();
        var path = LedgerCheckpointName.Path(16);
        var lines = Encoding.UTF8.GetString(_store.GetRaw(Tenant, path)).Split('\n');
        var blob = Convert.FromBase64String(lines[^2].Split(' ')[2]);
        blob[^1] ^= 0x01;
        lines[^2] = $"\u2014 {Origin} {Convert.ToBase64String(blob)}";
        _store.ReplaceRaw(Tenant, path, Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        var report = await VerifyAsync();

        Assert.Equal(new LedgerProblem(path, null, null, report.FirstProblem!.Message), report.FirstProblem);
        Assert.Contains("signature verification failed", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains($"checkpoint\t{path}\tINVALID: {report.FirstProblem.Message}", report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_OlderCheckpointReplayedUnderNewerName_ReportsMove()
    {
        await WriteLedgerAsync();
        _store.ReplaceRaw(Tenant, LedgerCheckpointName.Path(24), _store.GetRaw(Tenant, LedgerCheckpointName.Path(16)));

        var report = await VerifyAsync();

        Assert.Equal(LedgerCheckpointName.Path(24), report.FirstProblem!.Location);
        Assert.Contains("moved from its original location", report.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Equal(16, report.TreeSize);
    }

    [Fact]
    public async Task VerifyAsync_MiddleCheckpointDeleted_ReportsBrokenChainAtTheNextOne()
    {
        await WriteLedgerAsync();
        _store.Delete(Tenant, LedgerCheckpointName.Path(16));

        var report = await VerifyAsync();

        Assert.Equal(LedgerCheckpointName.Path(24), report.FirstProblem!.Location);
        Assert.Contains("chain broken", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EntryFromAnotherTenant_ReportsTheLine()
    {
        await WriteLedgerAsync();
        var foreign = Encoding.UTF8.GetString(TestLedgerWriter.Entry("ledger.example/tenants/t2", "t2", 1));
        EditLines(Block(0), lines => lines[1] = foreign);

        var report = await VerifyAsync();

        Assert.Equal(Block(0).Path, report.FirstProblem!.Location);
        Assert.Equal(2, report.FirstProblem.Line);
        Assert.Equal(1, report.FirstProblem.LeafIndex);
        Assert.Contains("moved from its original location", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_CheckpointSignedOnlyByUnknownKey_ReportsKeyNotFound()
    {
        await WriteLedgerAsync();
        var path = LedgerCheckpointName.Path(24);
        Assert.True(CheckpointNote.TryOpen(Encoding.UTF8.GetString(_store.GetRaw(Tenant, path)), [_signer.PublicKey], out var checkpoint, out _));
        _store.ReplaceRaw(Tenant, path, Encoding.UTF8.GetBytes(await CheckpointNote.SignAsync(checkpoint!, _stranger)));

        var report = await VerifyAsync();

        Assert.Equal(path, report.FirstProblem!.Location);
        Assert.Contains("public key not found", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_BlockWithoutCheckpointYet_WarnsAboutUnsignedTail()
    {
        var writer = await WriteLedgerAsync();
        await writer.AppendBlockAsync(BlockSize, checkpoint: false);

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(32, report.TreeSize);
        Assert.Equal(40, report.EntriesChecked);
        Assert.Contains($"info\t{new LedgerBlockName(32, 39).Path}\tunsigned tail: entries 32-39 are not covered by a checkpoint yet", report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_WrongOrigin_ReportsFirstEntry()
    {
        await WriteLedgerAsync();

        var report = await new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(Tenant, "ledger.example/tenants/other");

        Assert.False(report.IsValid);
        Assert.Equal(Block(0).Path, report.FirstProblem!.Location);
        Assert.Equal(1, report.FirstProblem.Line);
    }

    private static LedgerBlockName Block(int number) => new(number * BlockSize, (number * BlockSize) + BlockSize - 1);

    private async Task<TestLedgerWriter> WriteLedgerAsync()
    {
        var writer = new TestLedgerWriter(_store, _signer, Tenant, Origin);
        for (var i = 0; i < 4; i++)
        {
            await writer.AppendBlockAsync(BlockSize);
        }

        return writer;
    }

    private Task<LedgerVerificationReport> VerifyAsync() => new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);

    private void EditLines(LedgerBlockName block, Action<List<string>> edit)
    {
        var lines = Encoding.UTF8.GetString(_store.GetBlockContent(Tenant, block)).TrimEnd('\n').Split('\n').ToList();
        edit(lines);
        _store.ReplaceBlockContent(Tenant, block, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
    }
}
