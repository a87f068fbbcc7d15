using Microsoft.Extensions.DependencyInjection;
using Tenants.Abstractions.Jobs;
using Tenants.Ledger.Bundles;

namespace Tenants.Grains.Jobs;

/// <summary>
/// Export bundles are kept for <see cref="LedgerExportOptions.Retention"/> after their job finished: the grain deletes
/// older ones when it activates and then on a timer while it is active. A deactivated tenant's old bundles wait for its
/// next activation; in Azure a lifecycle rule on the export container is the backstop (docs/operations.md).
/// </summary>
public sealed partial class LedgerJobsGrain
{
    private TimeSpan RetentionSweepInterval() =>
        TimeSpan.FromTicks(Math.Clamp(_options.Retention.Ticks / 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromHours(1).Ticks));

    private async Task DeleteExpiredBundlesAsync()
    {
        var cutoff = _time.GetUtcNow() - _options.Retention;
        var expired = Jobs.Where(j => j.Kind == LedgerJobKind.Export && j.Status == LedgerJobStatus.Done && !j.BundleDeleted && j.Finished < cutoff).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var job in expired)
        {
            await DeleteBundleAsync(job);
        }

        await SaveAsync();
    }

    private async Task DeleteBundleAsync(LedgerJobState job)
    {
        if (job.Kind != LedgerJobKind.Export || job.BundleDeleted || _running.ContainsKey(job.Id!))
        {
            return;
        }

        try
        {
            await _services.GetRequiredService<ILedgerExportStore>().DeleteAsync(_tenantId, job.Id!);
            job.BundleDeleted = true;
            LogBundleDeleted(_tenantId, job.Id!);
        }
        catch (Exception ex)
        {
            // Storage is unavailable: the bundle stays, and the next sweep tries again.
            LogBundleDeleteFailed(ex, _tenantId, job.Id!);
        }
    }
}
