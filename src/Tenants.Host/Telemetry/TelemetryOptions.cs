namespace Tenants.Host.Telemetry;

/// <summary>
/// Metrics, traces and logs (section <c>Telemetry</c>). Exporters follow the standard settings: OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the other <c>OTEL_*</c> variables), Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; a Prometheus scrape endpoint is served unless turned off.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Serve the Prometheus scrape endpoint (<see cref="PrometheusPath"/>) on the HTTP listener. On by default for local
    /// scraping; a node whose HTTP listener is public turns it off or keeps it behind its network (the Azure deployment
    /// turns it off: its metrics go to Application Insights).
    /// </summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary>Path of the Prometheus scrape endpoint.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>The <c>service.name</c> of this process's telemetry, unless <c>OTEL_SERVICE_NAME</c> names another.</summary>
    public string ServiceName { get; set; } = "tenants";

    /// <summary>Fraction of traces recorded when an exporter is configured (parent-based: a sampled caller keeps its trace).</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}
