using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Grains.Sessions;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Index;

/// <summary>
/// Keeps the search index up with the ledgers on this node: indexes the blocks grains seal, catches up every tenant
/// (every tenant with a cursor, and every tenant with a ledger in storage, so that a ledger whose first block could not
/// be indexed is found too) at start and every <see cref="LedgerIndexOptions.SweepInterval"/>, and retries a tenant
/// whose indexing failed after <see cref="LedgerIndexOptions.RetryDelay"/>. Sealing never waits for any of it. The
/// sweep also wakes the grains of sessions not summed up although they ended a minute ago or have been quiet for
/// <see cref="SessionOptions.IdleTimeout"/>: their timers (the summary's retry, the idle timeout) lived in a silo that is
/// gone (a crash, a restart, a scale-in).
/// </summary>
internal sealed partial class LedgerIndexService(
    LedgerIndexQueue queue,
    LedgerIndexer indexer,
    ILedgerIndexWriter index,
    ILedgerStore ledgers,
    SessionFeeder sessions,
    IOptions<LedgerIndexOptions> options,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider time,
    ILogger<LedgerIndexService> logger) : BackgroundService
{
    // Sessions woken per tenant and sweep; the rest wait for the next sweep.
    private const int SessionsWokenPerSweep = 1_000;

    // An ended session's summary follows within seconds; one still missing after this has lost its grain's timer.
    private static readonly TimeSpan SummaryOverdue = TimeSpan.FromMinutes(1);

    // How far back sessions are looked for: far beyond any restart, and a bound on what is woken again and again should
    // a session never be summed up (one indexed before session grains kept state).
    private static readonly TimeSpan SessionLookback = TimeSpan.FromDays(7);

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
                    await RunAsync(tenant, blocks: null, stoppingToken).ConfigureAwait(false);
                }

                foreach (var (tenant, at) in _retryAt.ToList())
                {
                    if (time.GetUtcNow() >= at)
                    {
                        _retryAt.Remove(tenant);
                        await RunAsync(tenant, blocks: null, stoppingToken).ConfigureAwait(false);
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

                if (options.Value.BatchDelay > TimeSpan.Zero)
                {
                    // Let the blocks of the next moments gather: one index transaction and one state write per session
                    // for all of a tenant's blocks, instead of one per block.
                    await Task.Delay(options.Value.BatchDelay, time, stoppingToken).ConfigureAwait(false);
                }

                await RunQueuedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // The silo stops before this service, and deactivating ledger grains seal what they hold: index those blocks
        // now if their sessions can still be fed; what fails here is caught up by the sweep at the next start.
        using var drain = new CancellationTokenSource(options.Value.DrainTimeout, time);
        await RunQueuedAsync(drain.Token).ConfigureAwait(false);
    }

    // Everything queued, a tenant's consecutive blocks together (in the order they came, up to a catch-up request).
    private async Task RunQueuedAsync(CancellationToken cancellationToken)
    {
        var blocks = new Dictionary<string, List<LedgerBlock>>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested && queue.Reader.TryRead(out var work))
        {
            if (work.Block is { } block)
            {
                if (!blocks.TryGetValue(work.TenantId, out var pending))
                {
                    pending = [];
                    blocks.Add(work.TenantId, pending);
                }

                pending.Add(block);
                continue;
            }

            if (blocks.Remove(work.TenantId, out var before))
            {
                await RunAsync(work.TenantId, before, cancellationToken).ConfigureAwait(false);
            }

            await RunAsync(work.TenantId, blocks: null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (tenant, pending) in blocks)
        {
            await RunAsync(tenant, pending, cancellationToken).ConfigureAwait(false);
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

            var now = time.GetUtcNow();
            foreach (var tenant in tenants)
            {
                var unsummarized = await index.ListUnsummarizedSessionsAsync(
                    tenant, now - SessionLookback, now - sessionOptions.Value.IdleTimeout, now - SummaryOverdue, SessionsWokenPerSweep, cancellationToken).ConfigureAwait(false);
                if (unsummarized.Count > 0)
                {
                    LogWakingSessions(tenant, unsummarized.Count);
                    await sessions.WakeAsync(tenant, unsummarized, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex);
        }
    }

    // Blocks of one tenant in sealing order, or (null) a catch-up from storage.
    private async Task RunAsync(string tenantId, List<LedgerBlock>? blocks, CancellationToken cancellationToken)
    {
        if (_retryAt.ContainsKey(tenantId))
        {
            // Already failing: the retry catches up from storage, blocks included.
            return;
        }

        try
        {
            if (blocks is not null)
            {
                await indexer.IndexBlocksAsync(tenantId, blocks, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await indexer.CatchUpAsync(tenantId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogIndexingFailed(ex, tenantId, options.Value.RetryDelay);
            _retryAt[tenantId] = time.GetUtcNow() + options.Value.RetryDelay;
        }
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Indexing tenant {TenantId} failed; trying again in {RetryDelay}")]
    private partial void LogIndexingFailed(Exception exception, string tenantId, TimeSpan retryDelay);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Listing the indexed tenants failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information,
        Message = "Tenant {TenantId}: waking {Count} sessions that are not summed up although over or quiet (their timers were lost with a silo)")]
    private partial void LogWakingSessions(string tenantId, int count);
}
