using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tenants.Grains.Ledger;

namespace Tenants.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the Host: the platform's own meters and activity sources (<c>Tenants.*</c>) with those of
/// ASP.NET Core, Kestrel (the edge's listeners too), Orleans, Npgsql and the runtime; exported over OTLP and to Azure
/// Monitor when configured, and scraped locally in the Prometheus format.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>The meters exported: ours, then the frameworks'.</summary>
    internal static readonly string[] Meters =
    [
        "Tenants.Edge", LedgerMetrics.MeterName, "Tenants.Ledger",
        "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime", "System.Net.Http", "Npgsql",
    ];

    /// <summary>The activity sources traced when an exporter is configured.</summary>
    internal static readonly string[] Sources =
    [
        "Tenants.Edge", LedgerMetrics.MeterName,
        "Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application",
    ];

    public static WebApplicationBuilder AddTenantsTelemetry(this WebApplicationBuilder builder, string roles)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new();
        var otlp = HasOtlp(builder.Configuration);
        var azureMonitor = AzureMonitor(builder.Configuration);
        var prometheus = options.PrometheusEnabled;
        if (options.TraceSampleRatio is < 0 or > 1 || double.IsNaN(options.TraceSampleRatio))
        {
            throw new InvalidOperationException($"Telemetry:TraceSampleRatio is {options.TraceSampleRatio}; it must be between 0 and 1 (the fraction of traces kept).");
        }

        if (!otlp && azureMonitor is null && !prometheus)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName ? serviceName : options.ServiceName, serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("tenants.roles", roles)]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (prometheus)
                {
                    // No cached answers: a scrape shows the state of that moment (scrapers come every few seconds at most).
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (azureMonitor is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
                }
            });

        // Traces and logs only go somewhere with an exporter: Prometheus carries metrics alone.
        if (otlp || azureMonitor is not null)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(Sources).SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (azureMonitor is not null)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = azureMonitor);
                }
            });
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeScopes = true;
                if (otlp)
                {
                    logging.AddOtlpExporter();
                }

                if (azureMonitor is not null)
                {
                    logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azureMonitor);
                }
            });
        }

        return builder;
    }

    /// <summary>True when traces are exported: grain calls then carry the caller's trace (Orleans activity propagation).</summary>
    public static bool IsTracing(IConfiguration configuration) => HasOtlp(configuration) || AzureMonitor(configuration) is not null;

    private static bool HasOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static string? AzureMonitor(IConfiguration configuration) =>
        configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString ? connectionString : null;

    /// <summary>Serves the Prometheus scrape endpoint when it is on (<see cref="TelemetryOptions.PrometheusEnabled"/>).</summary>
    public static WebApplication MapTenantsTelemetry(this WebApplication app)
    {
        // The ledger's instruments belong to a silo singleton otherwise made when the first ledger activates: made now,
        // a silo shows its checkpoint age (0) from the start.
        _ = app.Services.GetService<LedgerMetrics>();
        var options = app.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new();
        if (options.PrometheusEnabled)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }

        return app;
    }
}
