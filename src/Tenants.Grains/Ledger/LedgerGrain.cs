using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Ledger;
using Tenants.Ledger;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Ledger;

/// <summary>
/// One per tenant. Gives each event its leaf index and makes it durable in the tenant's journal before acknowledging
/// it (group commit: every batch that arrives while a journal append is in flight rides the next one), then seals
/// journaled entries into create-only blocks (by count, bytes or age), extends the Merkle tree and writes signed
/// checkpoints on a cadence. Appends interleave with everything else (see LedgerGrain.Journal.cs); seals and
/// checkpoints take turns through one gate.
/// </summary>
public sealed partial class LedgerGrain : Grain, ILedgerGrain
{
    private readonly IPersistentState<LedgerState> _state;
    private readonly ILedgerStore _store;
    private readonly ILedgerJournal _journal;
    private readonly ILedgerSigner _signer;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerGrain> _logger;
    private readonly LedgerMetrics _metrics;
    private CompactRange _tree = new();
    private IGrainTimer? _timer;

    public LedgerGrain(
        [PersistentState("ledger", "ledger")] IPersistentState<LedgerState> state,
        ILedgerStore store,
        ILedgerJournal journal,
        ILedgerSigner signer,
        IOptions<LedgerOptions> options,
        TimeProvider time,
        LedgerMetrics metrics,
        ILogger<LedgerGrain> logger)
    {
        _state = state;
        _store = store;
        _journal = journal;
        _signer = signer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _dedup = new EventIdWindow(_options.DedupWindow);
    }

    private string TenantId => this.GetPrimaryKeyString();

    private string Origin => _options.OriginFor(TenantId);

    // Entries in the journal: sealed, plus journaled and not yet sealed.
    private long Size => _state.State.SealedSize + _unsealed.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The tree is rebuilt from blobs (checkpoint tiles, then later blocks), not from the state's frontier; then
        // what was journaled after the last block is read back from the journal.
        try
        {
            await RecoverAsync(cancellationToken);
            await ReplayJournalAsync(cancellationToken);
            OnLedgerRecovered();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or InvalidOperationException or LedgerJournalFormatException or LedgerBlockFormatException))
        {
            // Storage did not answer (a corrupt ledger is not that: it stays an error to report): the caller gets the
            // same clear failure as for an append that could not be made durable, and the next call activates again.
            // The storage SDK's exception is logged here, not sent across the grain boundary.
            LogActivationFailed(ex, TenantId);
            throw new LedgerUnavailableException($"the ledger of tenant '{TenantId}' could not be read from storage ({ex.GetType().Name})");
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Seal and sign what is journaled before the grain goes away, so the next activation has little to replay. An
        // activation that lost the journal to another writer seals nothing more: the other one owns the ledger now.
        if (_stopped)
        {
            _metrics.Deactivated(TenantId);
            return;
        }

        try
        {
            await SealAsync(all: true, cancellationToken);
            await WriteCheckpointAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSealFailed(ex, TenantId, _unsealed.Count);
        }
        finally
        {
            _metrics.Deactivated(TenantId);
        }
    }

    public async Task<LedgerStatus> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await SealAsync(all: true, cancellationToken);
        await WriteCheckpointAsync(cancellationToken);
        return Status();
    }

    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Task.FromResult(Status());

    private LedgerStatus Status() => new()
    {
        Origin = Origin,
        Size = Size,
        SealedSize = _state.State.SealedSize,
        CheckpointSize = _state.State.CheckpointSize,
        CheckpointRootHash = _state.State.CheckpointRootHash,
        CheckpointTime = _state.State.CheckpointTime,
        Journaling = _journaling,
    };

    private void EnsureTimer()
    {
        _timer ??= this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.MaxBlockDelay,
            Period = _options.MaxBlockDelay,
            Interleave = false,
        });
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_unsealed.Count > 0 && _time.GetElapsedTime(_unsealedSince) >= _options.MaxBlockDelay)
            {
                await SealAsync(all: true, cancellationToken);
            }

            var due = _state.State.CheckpointTime is not { } last || _time.GetUtcNow() - last >= _options.CheckpointInterval;
            if (due)
            {
                await WriteCheckpointAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage or signing is unavailable: keep what is pending and try again on the next tick.
            LogSealFailed(ex, TenantId, _unsealed.Count);
            return;
        }

        if (_unsealed.Count == 0 && _state.State.CheckpointSize == _state.State.SealedSize)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>
    /// Seals journaled entries into blocks, oldest first: every full block (by count or bytes), and with
    /// <paramref name="all"/> the partial one too. One seal or checkpoint at a time (the gate); appends go on meanwhile
    /// and only ever add at the end of <see cref="_unsealed"/>.
    /// </summary>
    private async Task SealAsync(bool all, CancellationToken cancellationToken)
    {
        await EnterSealGateAsync();
        try
        {
            while (!_stopped && _unsealed.Count > 0 && (all || BlockIsFull()))
            {
                // A block whose write failed is retried with the same bounds, so a write that landed after all is
                // recognised instead of overlapped.
                var count = _sealing ?? NextBlockCount();
                _sealing = count;
                var first = _state.State.SealedSize;
                var entries = _unsealed.GetRange(0, count);
                var name = new LedgerBlockName(first, first + count - 1);
                var block = new LedgerBlock(name, entries);
                await WriteBlockAsync(block, cancellationToken);
                OnBlockSealed(block);
                _metrics.BlockSealed();

                _sealing = null;
                foreach (var entry in entries)
                {
                    AppendLeaf(entry.Span);
                }

                RemoveSealed(count);
                // Grain state is saved with each checkpoint, not each block: a block sealed after the last saved state is
                // re-hashed from its blob on activation (RecoverAsync), so one database write per block buys nothing.
                _state.State.SealedSize = _tree.Size;
                _state.State.Frontier = [.. _tree.Hashes];
                LogBlockSealed(TenantId, name.FirstIndex, name.LastIndex);
            }
        }
        finally
        {
            LeaveSealGate();
        }
    }

    private async Task WriteCheckpointAsync(CancellationToken cancellationToken)
    {
        await EnterSealGateAsync();
        try
        {
            await WriteCheckpointCoreAsync(cancellationToken);
        }
        finally
        {
            LeaveSealGate();
        }
    }

    private async Task WriteCheckpointCoreAsync(CancellationToken cancellationToken)
    {
        var state = _state.State;
        if (_stopped)
        {
            return;
        }

        if (state.SealedSize == state.CheckpointSize && state.CheckpointNoteHash is not null)
        {
            return;
        }

        using var activity = LedgerMetrics.ActivitySource.StartActivity("ledger checkpoint");
        activity?.SetTag("tenants.tenant_id", TenantId);
        activity?.SetTag("tenants.ledger.size", state.SealedSize);

        // Tiles first: once the checkpoint exists, its size must be provable from tiles.
        await WriteTilesAsync(includePartial: true, cancellationToken);
        var now = _time.GetUtcNow();
        var root = _tree.GetRootHash();
        var key = _signer.PublicKey;
        var extensions = new List<string>
        {
            CheckpointExtensions.Time(now),
            CheckpointExtensions.PrevFromHash(state.CheckpointNoteHash),
            CheckpointExtensions.Range(state.CheckpointSize, state.SealedSize),
            CheckpointExtensions.Key(key),
        };
        var note = await CheckpointNote.SignAsync(new Checkpoint(Origin, state.SealedSize, root, extensions), _signer, cancellationToken);
        await _store.WriteCheckpointAsync(TenantId, state.SealedSize, note, cancellationToken);

        state.CheckpointSize = state.SealedSize;
        state.CheckpointNoteHash = CheckpointExtensions.NoteHash(note);
        state.CheckpointRootHash = Convert.ToBase64String(root);
        state.CheckpointTime = now;
        await _state.WriteStateAsync(cancellationToken);
        _metrics.Checkpointed(TenantId, everythingCovered: state.CheckpointSize == Size);
        LogCheckpointWritten(TenantId, state.CheckpointSize);
        await TrimJournalAsync(cancellationToken);
    }
}
