using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tenants.Ledger.Storage;

namespace Tenants.Host.Health;

/// <summary>Ready when the ledger's blob storage answers a (read-only) listing; the registration says how bad it is when not.</summary>
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
            // Degraded where the journal does not need blob storage (registered so); unhealthy otherwise.
            return new HealthCheckResult(context.Registration.FailureStatus, "blob storage does not answer: " + ex.Message);
        }
    }
}
