using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tenants.Host.Health;

/// <summary>Writes a readiness report as JSON: overall status and each check with its reason.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
}
