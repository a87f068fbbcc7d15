using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Edge.Audit;
using Tenants.Edge.Hosting;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Tests.Hosting;

/// <summary>
/// The edge proxy in this process: Kestrel with the PostgreSQL connection handler and every edge registration
/// (<see cref="EdgeServiceCollectionExtensions.AddTenantsEdgeCore"/>), with a <see cref="RecordingAuditSink"/> in place
/// of the ledger delivery. It listens on a port of 127.0.0.1 chosen by the operating system.
/// </summary>
public sealed class EdgeTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EdgeTestHost(WebApplication app, int port, RecordingAuditSink audit, RecordingLoggerProvider logs)
    {
        _app = app;
        Port = port;
        Audit = audit;
        Logs = logs;
    }

    public string Host => "127.0.0.1";

    /// <summary>The shared PostgreSQL listener.</summary>
    public int Port { get; }

    /// <summary>Every audit event the proxy emitted.</summary>
    public RecordingAuditSink Audit { get; }

    /// <summary>Errors the host logged (an exception escaping a connection handler shows up here).</summary>
    public RecordingLoggerProvider Logs { get; }

    /// <summary>The options the proxy runs with.</summary>
    public EdgeOptions Options => _app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;

    /// <summary>False once the host began to stop (which, in a test, means something killed it).</summary>
    public bool IsRunning => !_app.Lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>
    /// Starts a proxy with test-friendly limits (1 MiB messages, 5 s startup timeout, 2 s upstream connect timeout),
    /// then applies <paramref name="configure"/> (which adds the endpoints).
    /// </summary>
    public static Task<EdgeTestHost> StartAsync(Action<EdgeOptions> configure) => StartAsync(configure, ledger: null, spoolPath: null);

    /// <summary>
    /// As <see cref="StartAsync(Action{EdgeOptions})"/>, but with the real audit delivery (queue, durability modes,
    /// disk spool in <paramref name="spoolPath"/>) in front of <paramref name="ledger"/> when one is given.
    /// </summary>
    public static Task<EdgeTestHost> StartAsync(Action<EdgeOptions> configure, LedgerGrainFake? ledger, string? spoolPath) =>
        StartAsync(configure, ledger, spoolPath, services: null);

    /// <summary>As <see cref="StartAsync(Action{EdgeOptions})"/>, with services of the test's own (stand-ins for the cluster's).</summary>
    public static Task<EdgeTestHost> StartAsync(Action<EdgeOptions> configure, Action<IServiceCollection> services) =>
        StartAsync(configure, ledger: null, spoolPath: null, services);

    private static async Task<EdgeTestHost> StartAsync(Action<EdgeOptions> configure, LedgerGrainFake? ledger, string? spoolPath, Action<IServiceCollection>? services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var audit = new RecordingAuditSink();
        var logs = new RecordingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddTenantsEdgeCore();
        if (ledger is null)
        {
            builder.Services.AddSingleton<IAuditEventSink>(audit);
        }
        else
        {
            builder.Services.AddSingleton(sp => new AuditEventSink(ledger.For, sp.GetRequiredService<EndpointConnectionLimiter>(),
                sp.GetRequiredService<IOptions<EdgeOptions>>().Value, spoolPath!, TimeProvider.System, sp.GetRequiredService<ILogger<AuditEventSink>>()));
            builder.Services.AddSingleton<IAuditEventSink>(sp => sp.GetRequiredService<AuditEventSink>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditEventSink>());
        }

        builder.Services.Configure<EdgeOptions>(options =>
        {
            options.ListenAddress = "127.0.0.1";
            options.Port = 0;
            options.NodeName = "edge-test";
            options.MaxMessageSize = 1 << 20;
            options.MaxCapturedSqlBytes = 64 * 1024;
            options.StartupTimeout = TimeSpan.FromSeconds(5);
            options.UpstreamConnectTimeout = TimeSpan.FromSeconds(2);
            configure(options);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EdgeTestHost(app, new Uri(address).Port, audit, logs);
    }

    /// <summary>An endpoint of tenant <paramref name="tenantId"/> in front of <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static EdgeEndpointOptions Endpoint(string id, string host, int port, string tenantId = "tenant-a") =>
        new() { Id = id, TenantId = tenantId, UpstreamHost = host, UpstreamPort = port };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
