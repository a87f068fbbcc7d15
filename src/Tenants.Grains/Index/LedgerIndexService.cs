using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Index;

/// <summary>
/// Keeps the search index up with the ledgers on this node: indexes the blocks grains seal, catches up every tenant
/// (every tenant with a cursor, and every tenant with a ledger in storage, so that a ledger whose first block could not
/// be indexed is found too) at start and every <see cref="LedgerIndexOptions.SweepInterval"/>, and retries a tenant
/// whose indexing failed after <see cref="LedgerIndexOptions.RetryDelay"/>. Sealing never waits for any of it.
/// </summary>
internal sealed partial class LedgerIndexService(
    LedgerIndexQueue queue,
    LedgerIndexer indexer,
    ILedgerIndexWriter index,
    ILedgerStore ledgers,
    IOptions<LedgerIndexOptions> options,
    TimeProvider time,
    ILogger<LedgerIndexService> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _retryAt = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = options.Value.RetryDelay < TimeSpan.FromSeconds(1) ? options.Value.RetryDelay : TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepIfDueAsync(stoppingToken).ConfigureAwait(false);
                foreach (var tenant in queue.TakeOverflow())
                {
                    await RunAsync(new LedgerIndexWork(tenant, Block: null), stoppingToken).ConfigureAwait(false);
                }

                foreach (var (tenant, at) in _retryAt.ToList())
                {
                    if (time.GetUtcNow() >= at)
                    {
                        _retryAt.Remove(tenant);
                        await RunAsync(new LedgerIndexWork(tenant, Block: null), stoppingToken).ConfigureAwait(false);
                    }
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(tick);
                try
                {
                    await queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    continue;
                }

                while (queue.Reader.TryRead(out var work))
                {
                    await RunAsync(work, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // The silo stops before this service, and deactivating ledger grains seal what they hold: index those blocks
        // now if their sessions can still be fed; what fails here is caught up by the sweep at the next start.
        using var drain = new CancellationTokenSource(options.Value.DrainTimeout, time);
        while (!drain.IsCancellationRequested && queue.Reader.TryRead(out var work))
        {
            await RunAsync(work, drain.Token).ConfigureAwait(false);
        }
    }

    private async Task SweepIfDueAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _nextSweep)
        {
            return;
        }

        _nextSweep = time.GetUtcNow() + options.Value.SweepInterval;
        try
        {
            var tenants = new HashSet<string>(await index.ListTenantsAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
            await foreach (var tenant in ledgers.ListTenantsAsync(cancellationToken).ConfigureAwait(false))
            {
                tenants.Add(tenant);
            }

            foreach (var tenant in tenants)
            {
                queue.RequestCatchUp(tenant);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex);
        }
    }

    private async Task RunAsync(LedgerIndexWork work, CancellationToken cancellationToken)
    {
        if (_retryAt.ContainsKey(work.TenantId))
        {
            // Already failing: the retry catches up from storage, blocks included.
            return;
        }

        try
        {
            if (work.Block is { } block)
            {
                await indexer.IndexBlockAsync(work.TenantId, block, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await indexer.CatchUpAsync(work.TenantId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogIndexingFailed(ex, work.TenantId, options.Value.RetryDelay);
            _retryAt[work.TenantId] = time.GetUtcNow() + options.Value.RetryDelay;
        }
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Indexing tenant {TenantId} failed; trying again in {RetryDelay}")]
    private partial void LogIndexingFailed(Exception exception, string tenantId, TimeSpan retryDelay);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Listing the indexed tenants failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);
}
