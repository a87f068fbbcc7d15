using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tenants.Abstractions.Health;

namespace Tenants.Host.Health;

/// <summary>Ready when a grain can be activated and called (through the local silo or the cluster gateway).</summary>
internal sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHealthProbeGrain>(0).PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer: " + ex.Message);
        }
    }
}
