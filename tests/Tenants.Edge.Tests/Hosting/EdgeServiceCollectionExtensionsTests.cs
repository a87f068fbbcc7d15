using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tenants.Edge.Audit;
using Tenants.Edge.Hosting;
using Tenants.Edge.Policy;

namespace Tenants.Edge.Tests.Hosting;

public sealed class EdgeServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tenants-edge-host-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AddTenantsEdge_WithWhatAHostProvides_BuildsTheAuditSinkWithItsInstrumentsOnTheTenantsEdgeMeter()
    {
        Directory.CreateDirectory(_root);

        // A plain host (not started), with the grain factory a silo or an Orleans client would add.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root, DisableDefaults = true });
        builder.Services.AddSingleton<IGrainFactory>(_ => null!);
        builder.Services.AddTenantsEdge();
        using var host = builder.Build();
        var provider = host.Services;

        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "Tenants.Edge")
                {
                    published.Add(instrument.Name);
                }
            },
        };
        listener.Start();
        using var sink = provider.GetRequiredService<AuditEventSink>();
        listener.RecordObservableInstruments();

        Assert.Same(sink, provider.GetRequiredService<IAuditEventSink>());
        Assert.Contains("tenants.edge.audit.events.accepted", published);
        Assert.Contains("tenants.edge.audit.spool.size", published);
        Assert.True(Directory.Exists(Path.Combine(_root, "data", "edge-spool")));
    }

    [Fact]
    public void AddTenantsEdge_PoliciesComeFromTheGrains_AndTheCoreAloneHasNone()
    {
        Directory.CreateDirectory(_root);
        var withGrains = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root, DisableDefaults = true });
        withGrains.Services.AddSingleton<IGrainFactory>(_ => null!);
        withGrains.Services.AddTenantsEdge();
        var core = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root, DisableDefaults = true });
        core.Services.AddTenantsEdgeCore();
        using var full = withGrains.Build();
        using var alone = core.Build();

        Assert.IsType<GrainEdgePolicyProvider>(full.Services.GetRequiredService<IEdgePolicyProvider>());
        Assert.IsType<NoEdgePolicyProvider>(alone.Services.GetRequiredService<IEdgePolicyProvider>());
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
