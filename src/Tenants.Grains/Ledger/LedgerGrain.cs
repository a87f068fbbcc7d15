using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Ledger;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Ledger;

/// <summary>
/// One per tenant. Gives each event its leaf index, seals pending entries into create-only blocks (by count or
/// age), extends the Merkle tree and writes signed checkpoints on a cadence. Calls are processed one at a time,
/// so every event that arrives while a seal is in flight rides the next one.
/// </summary>
public sealed partial class LedgerGrain : Grain, ILedgerGrain
{
    private readonly IPersistentState<LedgerState> _state;
    private readonly ILedgerStore _store;
    private readonly ILedgerSigner _signer;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerGrain> _logger;
    private readonly List<byte[]> _pending = [];
    private readonly HashSet<string> _seenEventIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private CompactRange _tree = new();
    private IGrainTimer? _timer;
    private long _pendingSince;

    public LedgerGrain(
        [PersistentState("ledger", "ledger")] IPersistentState<LedgerState> state,
        ILedgerStore store,
        ILedgerSigner signer,
        IOptions<LedgerOptions> options,
        TimeProvider time,
        ILogger<LedgerGrain> logger)
    {
        _state = state;
        _store = store;
        _signer = signer;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private string TenantId => this.GetPrimaryKeyString();

    private string Origin => _options.OriginFor(TenantId);

    private long Size => _state.State.SealedSize + _pending.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The tree is rebuilt from blobs (checkpoint tiles, then later blocks), not from the state's frontier.
        await RecoverAsync(cancellationToken);
        OnLedgerRecovered();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Seal and sign what is pending before the grain goes away, so a graceful shutdown loses nothing.
        try
        {
            await SealAsync(cancellationToken);
            await WriteCheckpointAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSealFailed(ex, TenantId, _pending.Count);
        }
    }

    public async Task<LedgerAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        var first = Size;
        var duplicates = 0;
        foreach (var auditEvent in events)
        {
            if (auditEvent.TenantId != TenantId)
            {
                throw new ArgumentException($"event {auditEvent.EventId} belongs to tenant '{auditEvent.TenantId}', not '{TenantId}'", nameof(events));
            }

            if (!Remember(auditEvent.EventId))
            {
                duplicates++;
                continue;
            }

            if (_pending.Count == 0)
            {
                _pendingSince = _time.GetTimestamp();
            }

            var header = new LedgerEntryHeader(Origin, TenantId, Size, auditEvent.Time, AuditEventJson.KindName(auditEvent.Kind));
            _pending.Add(LedgerEntryWriter.Write(header, writer => AuditEventJson.WriteBody(writer, auditEvent)));
        }

        if (_pending.Count >= _options.MaxBlockEntries)
        {
            await SealAsync(cancellationToken);
        }

        EnsureTimer();
        return new LedgerAppendResult(first, events.Count - duplicates, duplicates);
    }

    public async Task<LedgerStatus> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await SealAsync(cancellationToken);
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
    };

    private bool Remember(string eventId)
    {
        // Retried deliveries carry the same event ids; remember enough of them to cover any retry window.
        const int Capacity = 100_000;
        if (!_seenEventIds.Add(eventId))
        {
            return false;
        }

        _seenOrder.Enqueue(eventId);
        if (_seenOrder.Count > Capacity)
        {
            _seenEventIds.Remove(_seenOrder.Dequeue());
        }

        return true;
    }

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
            if (_pending.Count > 0 && _time.GetElapsedTime(_pendingSince) >= _options.MaxBlockDelay)
            {
                await SealAsync(cancellationToken);
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
            LogSealFailed(ex, TenantId, _pending.Count);
            return;
        }

        if (_pending.Count == 0 && _state.State.CheckpointSize == _state.State.SealedSize)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private async Task SealAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            var count = Math.Min(_pending.Count, _options.MaxBlockEntries);
            var first = _state.State.SealedSize;
            var entries = _pending.GetRange(0, count);
            var name = new LedgerBlockName(first, first + count - 1);
            var block = new LedgerBlock(name, entries.Select(e => (ReadOnlyMemory<byte>)e).ToList());
            await _store.WriteBlockAsync(TenantId, block, cancellationToken);
            OnBlockSealed(block);

            foreach (var entry in entries)
            {
                AppendLeaf(entry);
            }

            _pending.RemoveRange(0, count);
            _pendingSince = _time.GetTimestamp();
            // Grain state is saved with each checkpoint, not each block: a block sealed after the last saved state is
            // re-hashed from its blob on activation (RecoverAsync), so one database write per block buys nothing.
            _state.State.SealedSize = _tree.Size;
            _state.State.Frontier = [.. _tree.Hashes];
            LogBlockSealed(TenantId, name.FirstIndex, name.LastIndex);
        }
    }

    private async Task WriteCheckpointAsync(CancellationToken cancellationToken)
    {
        var state = _state.State;
        if (state.SealedSize == state.CheckpointSize && state.CheckpointNoteHash is not null)
        {
            return;
        }

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
        LogCheckpointWritten(TenantId, state.CheckpointSize);
    }
}
