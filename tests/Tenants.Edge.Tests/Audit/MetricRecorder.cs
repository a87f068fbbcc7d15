using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tenants.Edge.Tests.Audit;

/// <summary>Everything measured by one meter's instruments, by instrument name.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => _measurements.Enqueue((i.Name, v, t.ToArray())));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => _measurements.Enqueue((i.Name, v, t.ToArray())));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => _measurements.Enqueue((i.Name, v, t.ToArray())));
        _listener.Start();
    }

    public double Sum(string name, string? tag = null, string? value = null) => Matching(name, tag, value).Sum(m => m.Value);

    public int Count(string name, string? tag = null, string? value = null) => Matching(name, tag, value).Count();

    /// <summary>Reads the observable instruments now and returns the newest value of <paramref name="name"/>.</summary>
    public double Observe(string name)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Name == name).Select(m => m.Value).Last();
    }

    public IEnumerable<string> TagKeys() => _measurements.SelectMany(m => m.Tags).Select(t => t.Key).Distinct();

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> Matching(string name, string? tag, string? value) =>
        _measurements.Where(m => m.Name == name && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))));
}
