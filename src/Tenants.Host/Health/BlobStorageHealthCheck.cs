using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tenants.Ledger.Storage;

namespace Tenants.Host.Health;

/// <summary>Ready when the ledger's blob storage answers a (read-only) listing.</summary>
internal sealed class BlobStorageHealthCheck(ILedgerStore store) : IHealthCheck
{
    private const string ProbeTenant = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in store.ListCheckpointsAsync(ProbeTenant, cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("blob storage does not answer: " + ex.Message);
        }
    }
}
