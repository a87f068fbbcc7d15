using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Tests.Verification;

/// <summary>Rollback and split views, caught only with what the auditor saw before (research ledger.md §b.8).</summary>
public sealed class LedgerVerifierTrustedTests : IDisposable
{
    private const string Tenant = "t1";
    private const string Origin = "ledger.example/tenants/t1";
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new(Origin);

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task VerifyAsync_LedgerExtendsTrustedCheckpoint_IsValidAndOffersTheNewestAsNextState()
    {
        var writer = await WriteBlocksAsync(2);
        var trusted = await TrustedAtAsync(8);
        await WriteBlocksAsync(2, first: 2, writer);

        var report = await VerifyAsync(trusted);

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Contains($"trusted\t{LedgerCheckpointName.Path(8)}\tvalid: extends the trusted checkpoint at size 8", report.Lines);
        Assert.Equal(16, report.NewestCheckpoint!.TreeSize);
        Assert.Equal(Encoding.UTF8.GetString(_store.GetRaw(Tenant, LedgerCheckpointName.Path(16))), report.NewestCheckpoint.Note);
    }

    [Fact]
    public async Task VerifyAsync_TailAndItsCheckpointDeleted_IsValidAloneButRollbackWithTrustedState()
    {
        await WriteBlocksAsync(3);
        var trusted = await TrustedAtAsync(12);
        _store.Delete(Tenant, new LedgerBlockName(8, 11).Path);
        _store.Delete(Tenant, LedgerCheckpointName.Path(12));
        _store.Delete(Tenant, "tile/0/000.p/12"); // the tile written for size 12 would give the cut away

        var alone = await VerifyAsync(trusted: null);
        var withState = await VerifyAsync(trusted);

        Assert.True(alone.IsValid, string.Join('\n', alone.Lines));
        Assert.False(withState.IsValid);
        Assert.Equal(LedgerCheckpointName.Path(12), withState.FirstProblem!.Location);
        Assert.StartsWith("rollback: the trusted checkpoint is size 12", withState.FirstProblem.Message, StringComparison.Ordinal);
        Assert.Contains(withState.Lines, l => l.StartsWith($"trusted\t{LedgerCheckpointName.Path(12)}\tINVALID: rollback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_AnotherGenuineNoteForTheTrustedSize_IsSplitViewWithBothNotes()
    {
        await WriteBlocksAsync(2);
        var ledgerNote = Encoding.UTF8.GetString(_store.GetRaw(Tenant, LedgerCheckpointName.Path(8)));
        var forkedRoot = RandomNumberGenerator.GetBytes(32);
        var forked = await CheckpointNote.SignAsync(
            new Checkpoint(Origin, 8, forkedRoot, CheckpointExtensions.Create(DateTimeOffset.UnixEpoch, null, 0, 8, _signer.PublicKey)), _signer);
        Assert.True(LedgerTrustedCheckpoint.TryFromNote(forked, [_signer.PublicKey], out var trusted, out _));

        var report = await VerifyAsync(trusted);

        Assert.False(report.IsValid);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(LedgerCheckpointName.Path(8), problem.Location);
        Assert.StartsWith("SECURITY ERROR: split view: two genuinely signed checkpoints for size 8 with different roots", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["trusted note:\n" + forked, "ledger note:\n" + ledgerNote], problem.Evidence);
        Assert.Contains("    " + Convert.ToBase64String(forkedRoot), report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_TrustedRootDiffersFromEntriesWithoutANoteAtThatSize_IsSplitView()
    {
        await WriteBlocksAsync(2);
        var trusted = new LedgerTrustedCheckpoint(Origin, 5, RandomNumberGenerator.GetBytes(32), Note: null);

        var report = await VerifyAsync(trusted);

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("SECURITY ERROR: split view: the entries' root at size 5", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_TrustedCheckpointOfAnotherOrigin_IsRefused()
    {
        var trusted = new LedgerTrustedCheckpoint("elsewhere/t1", 0, new byte[32], null);

        await Assert.ThrowsAsync<ArgumentException>(() => VerifyAsync(trusted));
    }

    [Fact]
    public async Task VerifyAsync_PartialCopyWithTrueFrontier_VerifiesFromItsFirstCheckpoint()
    {
        var writer = await WriteBlocksAsync(2);
        var frontier = writer.Frontier;
        await WriteBlocksAsync(2, first: 2, writer);
        var partial = await CopyFromAsync(8);

        var report = await new LedgerVerifier(partial, [_signer.PublicKey]).VerifyAsync(
            Tenant, Origin, new LedgerVerificationOptions { Start = new LedgerVerificationStart(8, frontier.Hashes) });

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(16, report.TreeSize);
        Assert.Contains("summary\tleaves\tleaves 8-15 covered, 8 entries checked", report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_PartialCopyWithForgedFrontier_FailsAtTheFirstCheckpoint()
    {
        await WriteBlocksAsync(4);
        var partial = await CopyFromAsync(8);

        var report = await new LedgerVerifier(partial, [_signer.PublicKey]).VerifyAsync(
            Tenant, Origin, new LedgerVerificationOptions { Start = new LedgerVerificationStart(8, [RandomNumberGenerator.GetBytes(32)]) });

        Assert.False(report.IsValid);
        Assert.Contains("hash value doesn't match", report.FirstProblem!.Message, StringComparison.Ordinal);
        Assert.Equal(0, report.TreeSize);
    }

    [Fact]
    public async Task VerifyAsync_SeveralTampers_CountsEveryInvalidObject()
    {
        await WriteBlocksAsync(4);
        var b1 = new LedgerBlockName(4, 7);
        _store.ReplaceRaw(Tenant, b1.Path, StoredBlockEditor.Edit(b1, _store.GetRaw(Tenant, b1.Path), l => l[0] = l[0].Replace("SELECT 4", "SELECT 5", StringComparison.Ordinal)));
        _store.Delete(Tenant, LedgerCheckpointName.Path(12));
        var b3 = new LedgerBlockName(12, 15);
        _store.ReplaceRaw(Tenant, b3.Path, StoredBlockEditor.Edit(b3, _store.GetRaw(Tenant, b3.Path), l => (l[1], l[2]) = (l[2], l[1])));

        var report = await VerifyAsync(trusted: null);

        Assert.False(report.IsValid);
        Assert.Contains("summary\tblocks\t2/4 blocks valid, 2/4 blocks INVALID", report.Lines);
        Assert.Contains("summary\tcheckpoints\t2/3 checkpoints valid, 1/3 checkpoints INVALID", report.Lines);
        Assert.Contains(report.Problems, p => p.Location == b3.Path && p.Line == 2 && p.LeafIndex == 13);
    }

    [Fact]
    public async Task VerifyAsync_BlockThatIsNotDecodable_IsInvalidFormat()
    {
        await WriteBlocksAsync(2);
        _store.ReplaceRaw(Tenant, new LedgerBlockName(4, 7).Path, [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]);

        var report = await VerifyAsync(trusted: null);

        Assert.Equal(new LedgerBlockName(4, 7).Path, report.FirstProblem!.Location);
        Assert.Contains("invalid format", report.FirstProblem.Message, StringComparison.Ordinal);
    }

    private async Task<TestLedgerWriter> WriteBlocksAsync(int count, int first = 0, TestLedgerWriter? writer = null)
    {
        writer ??= new TestLedgerWriter(_store, _signer, Tenant, Origin);
        for (var i = first; i < first + count; i++)
        {
            await writer.AppendBlockAsync(4);
        }

        return writer;
    }

    private async Task<LedgerTrustedCheckpoint> TrustedAtAsync(long size)
    {
        var note = await _store.ReadCheckpointAsync(Tenant, size);
        Assert.True(LedgerTrustedCheckpoint.TryFromNote(note, [_signer.PublicKey], out var trusted, out var error), error);
        return trusted!;
    }

    private async Task<InMemoryLedgerStore> CopyFromAsync(long size)
    {
        var copy = new InMemoryLedgerStore();
        foreach (var path in _store.Paths(Tenant))
        {
            var keep = LedgerBlockName.TryParse(path, out var block) ? block.FirstIndex >= size
                : LedgerCheckpointName.TryParse(path, out var treeSize) && treeSize >= size;
            if (keep)
            {
                copy.ReplaceRaw(Tenant, path, _store.GetRaw(Tenant, path));
            }
        }

        await Task.CompletedTask;
        return copy;
    }

    private Task<LedgerVerificationReport> VerifyAsync(LedgerTrustedCheckpoint? trusted) =>
        new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(Tenant, Origin, new LedgerVerificationOptions { Trusted = trusted });
}
