using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Hosting;

/// <summary>
/// A stand-in for the ledger grains of every tenant, for tests of the edge's delivery without a silo: it keeps the
/// events it accepted in order, drops duplicates by event id like the real grain, and can be switched to fail (as
/// <see cref="LedgerUnavailableException"/>, what the real grain throws when blob storage is down) or to hang.
/// </summary>
public sealed class LedgerGrainFake
{
    private readonly Lock _lock = new();
    private readonly List<AuditEvent> _events = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _down = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _appends = new(StringComparer.Ordinal);
    private readonly ConditionSignal _signal = new();
    private TaskCompletionSource _gate = Completed();

    /// <summary>While false, every append fails with <see cref="LedgerUnavailableException"/>.</summary>
    public bool Available { get; set; } = true;

    /// <summary>Called with each batch before it is accepted (to look at the world at that moment).</summary>
    public Func<IReadOnlyList<AuditEvent>, Task>? OnAppend { get; set; }

    /// <summary>Appends attempted, including failed ones.</summary>
    public int Attempts { get; private set; }

    /// <summary>Events sent again after the ledger had them (dropped by event id, as the real grain does).</summary>
    public int Duplicates { get; private set; }

    /// <summary>When false, accepted events are kept without their SQL text (tests that push a lot of it).</summary>
    public bool KeepSql { get; set; } = true;

    /// <summary>Appends that succeeded for <paramref name="tenantId"/>: the grain calls its ledger answered.</summary>
    public int Appends(string tenantId)
    {
        lock (_lock)
        {
            return _appends.GetValueOrDefault(tenantId);
        }
    }

    /// <summary>Switches the ledger of one tenant off (every append fails) or on again; the others are unaffected.</summary>
    public void SetAvailable(string tenantId, bool available)
    {
        lock (_lock)
        {
            if (available)
            {
                _down.Remove(tenantId);
            }
            else
            {
                _down.Add(tenantId);
            }
        }
    }

    /// <summary>Every event accepted, in the order accepted, each once.</summary>
    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Makes appends wait until <see cref="Release"/> (a ledger that is slow, not down).</summary>
    public void Block()
    {
        lock (_lock)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _gate.TrySetResult();
        }
    }

    /// <summary>Waits until the accepted events satisfy <paramref name="condition"/>.</summary>
    public Task<IReadOnlyList<AuditEvent>> WaitForAsync(Func<IReadOnlyList<AuditEvent>, bool> condition, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => Events is var events && condition(events) ? events : null,
            timeout,
            () => $"the ledger holds {Events.Count} events: {string.Join(", ", Events.Select(e => AuditEventJson.KindName(e.Kind)))}");

    /// <summary>The grain of one tenant.</summary>
    internal ILedgerGrain For(string tenantId) => new Grain(this, tenantId);

    private async Task<LedgerAppendResult> AppendAsync(string tenantId, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        Task gate;
        lock (_lock)
        {
            Attempts++;
            gate = _gate.Task;
        }

        await gate.WaitAsync(cancellationToken);
        bool down;
        lock (_lock)
        {
            down = _down.Contains(tenantId);
        }

        if (!Available || down)
        {
            throw new LedgerUnavailableException("stand-in ledger switched off");
        }

        if (OnAppend is { } hook)
        {
            await hook(events);
        }

        int accepted = 0, duplicates = 0;
        long first;
        lock (_lock)
        {
            first = _events.Count;
            _appends[tenantId] = _appends.GetValueOrDefault(tenantId) + 1;
            foreach (var e in events)
            {
                if (_ids.Add(e.EventId))
                {
                    _events.Add(KeepSql ? e : e with { Sql = null });
                    accepted++;
                }
                else
                {
                    duplicates++;
                }
            }

            Duplicates += duplicates;
        }

        _signal.Pulse();
        return new LedgerAppendResult(first, accepted, duplicates);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed class Grain(LedgerGrainFake ledger, string tenantId) : ILedgerGrain
    {
        public Task<LedgerAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default) =>
            ledger.AppendAsync(tenantId, events, cancellationToken);

        public Task<LedgerStatus> CheckpointAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
