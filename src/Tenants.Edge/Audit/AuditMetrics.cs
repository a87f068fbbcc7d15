using System.Diagnostics.Metrics;

namespace Tenants.Edge.Audit;

/// <summary>
/// The audit delivery instruments of the <c>Tenants.Edge</c> meter. Tags are bounded on purpose: <c>mode</c>
/// (durable, sequenced, async), <c>outcome</c> and <c>source</c> (live, replay). Never the tenant id: a tag value
/// per tenant makes one time series per tenant in every instrument, which grows without bound with sign-ups and is
/// what metric back ends bill and fall over on; per-tenant numbers come from the ledger and its index.
/// </summary>
internal sealed class AuditMetrics : IDisposable
{
    /// <summary>The name of the edge's meter.</summary>
    public const string MeterName = "Tenants.Edge";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _refused;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _latency;

    public AuditMetrics(IMeterFactory? meterFactory, Func<long> queueDepth, Func<long> spoolBytes)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _accepted = Meter.CreateCounter<long>("tenants.edge.audit.events.accepted", "{event}", "Audit events accepted from sessions, by durability mode.");
        _delivered = Meter.CreateCounter<long>("tenants.edge.audit.events.delivered", "{event}", "Audit events acknowledged by their ledger straight from the queue.");
        _spooled = Meter.CreateCounter<long>("tenants.edge.audit.events.spooled", "{event}", "Audit events written to the disk spool.");
        _replayed = Meter.CreateCounter<long>("tenants.edge.audit.events.replayed", "{event}", "Spooled audit events acknowledged by their ledger.");
        _dropped = Meter.CreateCounter<long>("tenants.edge.audit.events.dropped", "{event}", "Audit events lost: the spool was full or could not be written.");
        _refused = Meter.CreateCounter<long>("tenants.edge.audit.durable.refused", "{statement}", "Durable statements refused because their ledger did not acknowledge the event (outcome: failed, timed_out).");
        _batchSize = Meter.CreateHistogram<int>("tenants.edge.audit.delivery.batch_size", "{event}", "Events per ledger call (source: live, replay; outcome: delivered, failed).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000] });
        _latency = Meter.CreateHistogram<double>("tenants.edge.audit.delivery.duration", "s", "Time of one ledger call (source: live, replay; outcome: delivered, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        Meter.CreateObservableGauge("tenants.edge.audit.queue.depth", queueDepth, "{event}", "Audit events waiting in the in-memory queue.");
        Meter.CreateObservableGauge("tenants.edge.audit.spool.size", spoolBytes, "By", "Bytes of the disk spool, all tenants together.");
    }

    /// <summary>The meter of these instruments (one per sink; tests listen to it alone).</summary>
    public Meter Meter { get; }

    public void Accepted(DurabilityMode mode) => _accepted.Add(1, new KeyValuePair<string, object?>("mode", ModeTag(mode)));

    public void Delivered(int count) => _delivered.Add(count);

    public void Spooled(int count) => _spooled.Add(count);

    public void Replayed(int count) => _replayed.Add(count);

    public void Dropped(int count) => _dropped.Add(count);

    public void Refused(bool timedOut) => _refused.Add(1, new KeyValuePair<string, object?>("outcome", timedOut ? "timed_out" : "failed"));

    public void Delivery(bool replay, bool delivered, int count, TimeSpan duration)
    {
        var source = new KeyValuePair<string, object?>("source", replay ? "replay" : "live");
        var outcome = new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed");
        _batchSize.Record(count, source, outcome);
        _latency.Record(duration.TotalSeconds, source, outcome);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static string ModeTag(DurabilityMode mode) => mode switch
    {
        DurabilityMode.Durable => "durable",
        DurabilityMode.Sequenced => "sequenced",
        _ => "async",
    };
}
