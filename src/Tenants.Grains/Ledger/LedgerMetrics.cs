using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tenants.Grains.Ledger;

/// <summary>
/// The ledger instruments of the <c>Tenants.Grains</c> meter, and its traces (<see cref="ActivitySource"/> of the same
/// name). One per silo, shared by its ledger activations. Never a tenant tag: one time series per tenant grows without
/// bound with sign-ups (per-tenant numbers come from the ledger and its index).
/// </summary>
public sealed class LedgerMetrics : IDisposable
{
    /// <summary>The name of the grains' meter and activity source.</summary>
    public const string MeterName = "Tenants.Grains";

    /// <summary>Spans of ledger work: one per journal commit (a group-commit flight) and per checkpoint.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly bool _ownsMeter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _entries;
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _checkpoints;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitSize;

    // Per ledger active on this silo with entries not yet under a signed checkpoint: since when (a timestamp).
    private readonly ConcurrentDictionary<string, long> _uncheckpointedSince = new(StringComparer.Ordinal);

    public LedgerMetrics(IMeterFactory? meterFactory, TimeProvider time)
    {
        _ownsMeter = meterFactory is null;
        _time = time;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _entries = Meter.CreateCounter<long>("tenants.ledger.entries", "{entry}", "Entries made durable in a ledger's journal.");
        _blocks = Meter.CreateCounter<long>("tenants.ledger.blocks", "{block}", "Blocks sealed into blob storage.");
        _checkpoints = Meter.CreateCounter<long>("tenants.ledger.checkpoints", "{checkpoint}", "Signed checkpoints written.");
        _commitDuration = Meter.CreateHistogram<double>("tenants.ledger.commit.duration", "s",
            "Time of one journal append (a group-commit flight), which durable statements wait for (outcome: committed, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _commitSize = Meter.CreateHistogram<int>("tenants.ledger.commit.size", "{entry}", "Entries carried by one journal append (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000] });
        Meter.CreateObservableGauge("tenants.ledger.checkpoint.age", CheckpointAge, "s",
            "How long the oldest entry not yet covered by a signed checkpoint has waited, over the ledgers active on this silo (0: all covered). Grows without bound while signing or storage fails.");
        Meter.CreateObservableGauge("tenants.ledger.active", () => _uncheckpointedSince.Count, "{ledger}",
            "Ledgers on this silo holding entries not yet covered by a signed checkpoint.");
    }

    /// <summary>The meter of these instruments.</summary>
    public Meter Meter { get; }

    /// <summary>A journal append finished: <paramref name="count"/> entries are durable unless it <paramref name="failed"/>.</summary>
    public void Committed(string tenantId, int count, TimeSpan duration, bool failed)
    {
        _commitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", failed ? "failed" : "committed"));
        if (failed)
        {
            return;
        }

        _commitSize.Record(count);
        _entries.Add(count);
        _uncheckpointedSince.TryAdd(tenantId, _time.GetTimestamp());
    }

    public void BlockSealed() => _blocks.Add(1);

    /// <summary>
    /// A checkpoint was signed. With entries left outside it, they are counted as waiting from now (they arrived while it
    /// was being made, at most a seal interval ago).
    /// </summary>
    public void Checkpointed(string tenantId, bool everythingCovered)
    {
        _checkpoints.Add(1);
        if (everythingCovered)
        {
            _uncheckpointedSince.TryRemove(tenantId, out _);
        }
        else
        {
            _uncheckpointedSince[tenantId] = _time.GetTimestamp();
        }
    }

    /// <summary>The ledger left this silo: what it still holds is the next activation's to count.</summary>
    public void Deactivated(string tenantId) => _uncheckpointedSince.TryRemove(tenantId, out _);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private double CheckpointAge()
    {
        var oldest = long.MaxValue;
        foreach (var since in _uncheckpointedSince.Values)
        {
            oldest = Math.Min(oldest, since);
        }

        return oldest == long.MaxValue ? 0 : _time.GetElapsedTime(oldest).TotalSeconds;
    }
}
