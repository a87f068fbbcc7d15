using Microsoft.Extensions.Logging.Abstractions;
using Tenants.Edge.Audit;
using Tenants.Edge.Proxy;
using Tenants.Edge.Tests.Hosting;

namespace Tenants.Edge.Tests.Audit;

/// <summary>Audit sinks over one spool folder, delivering to a <see cref="LedgerGrainFake"/>; stops and deletes everything in <see cref="CleanUpAsync"/>.</summary>
internal sealed class AuditSinkHarness
{
    private readonly List<AuditEventSink> _sinks = [];

    public string SpoolPath { get; } = Path.Combine(Path.GetTempPath(), "tenants-sink-" + Guid.NewGuid().ToString("N"));

    public LedgerGrainFake Ledger { get; } = new();

    public async Task<AuditEventSink> StartAsync(Action<EdgeOptions>? configure = null)
    {
        var options = new EdgeOptions { AuditQueueCapacity = 1000, AuditBatchSize = 100, DrainTimeout = TimeSpan.Zero };
        configure?.Invoke(options);
        var sink = new AuditEventSink(Ledger.For, new EndpointConnectionLimiter(), options, SpoolPath, TimeProvider.System, NullLogger<AuditEventSink>.Instance);
        _sinks.Add(sink);
        await sink.StartAsync(CancellationToken.None);
        return sink;
    }

    /// <summary>A clean shutdown: what is queued is delivered or spooled.</summary>
    public async Task StopAsync(AuditEventSink sink)
    {
        await sink.StopAsync(CancellationToken.None);
        sink.Dispose();
        _sinks.Remove(sink);
    }

    /// <summary>
    /// As near a crash as one process allows: the sink is torn down without its shutdown (nothing queued is delivered
    /// or spooled, calls in flight are cut off) and its folder lock let go, leaving the spool as it is on disk.
    /// </summary>
    public void Crash(AuditEventSink sink)
    {
        sink.Dispose();
        _sinks.Remove(sink);
    }

    /// <summary>Spooled segment files, all tenants.</summary>
    public string[] SegmentFiles() =>
        Directory.Exists(SpoolPath) ? Directory.GetFiles(SpoolPath, "*.spool", SearchOption.AllDirectories) : [];

    public async Task CleanUpAsync()
    {
        Ledger.Release();
        foreach (var sink in _sinks.ToList())
        {
            await StopAsync(sink);
        }

        try
        {
            Directory.Delete(SpoolPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A failed test can leave senders writing; a temporary folder left behind is harmless.
        }
    }
}
