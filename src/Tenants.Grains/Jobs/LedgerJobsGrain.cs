using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Jobs;
using Tenants.Ledger;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Index;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Jobs;

/// <summary>
/// One per tenant: runs the tenant's verification and export jobs beside the grain (on the thread pool) and keeps
/// their records. A job's record is saved when it is queued, started, every few seconds while it runs (progress) and
/// when it ends. A job found queued or running on activation was interrupted (its node stopped, or the grain was
/// deactivated): it is started again from the beginning, which is safe because verification only reads and an export
/// replaces its own bundle, or, after <see cref="LedgerExportOptions.MaxAttempts"/> attempts, marked failed.
/// </summary>
public sealed partial class LedgerJobsGrain : Grain, ILedgerJobsGrain, IDisposable
{
    private static readonly TimeSpan ProgressSaveInterval = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<LedgerJobsState> _state;
    private readonly IServiceProvider _services;
    private readonly LedgerExportOptions _options;
    private readonly LedgerOptions _ledgerOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerJobsGrain> _logger;
    private readonly Dictionary<string, LedgerJobProgressCounter> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private string _tenantId = string.Empty;
    private Task _saving = Task.CompletedTask;
    private IGrainTimer? _progressTimer;

    public LedgerJobsGrain(
        [PersistentState("ledger-jobs", "ledger")] IPersistentState<LedgerJobsState> state,
        IServiceProvider services,
        IOptions<LedgerExportOptions> options,
        IOptions<LedgerOptions> ledgerOptions,
        TimeProvider time,
        ILogger<LedgerJobsGrain> logger)
    {
        _state = state;
        _services = services;
        _options = options.Value;
        _ledgerOptions = ledgerOptions.Value;
        _time = time;
        _logger = logger;
    }

    private List<LedgerJobState> Jobs => _state.State.Jobs ??= [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = this.GetPrimaryKeyString();
        var interrupted = Jobs.Where(j => j.Status is LedgerJobStatus.Queued or LedgerJobStatus.Running).ToList();
        foreach (var job in interrupted.Where(j => j.Attempts >= _options.MaxAttempts))
        {
            job.Status = LedgerJobStatus.Failed;
            job.Finished = _time.GetUtcNow();
            job.Error = $"The job was interrupted {job.Attempts} times (a node stopped while it ran) and was not started again.";
            LogJobAbandoned(_tenantId, job.Id!, job.Attempts);
        }

        if (interrupted.Count > 0)
        {
            await SaveAsync();
        }

        await DeleteExpiredBundlesAsync();
        this.RegisterGrainTimer(_ => DeleteExpiredBundlesAsync(), new GrainTimerCreationOptions
        {
            DueTime = RetentionSweepInterval(),
            Period = RetentionSweepInterval(),
        });

        foreach (var job in interrupted.Where(j => j.Status != LedgerJobStatus.Failed))
        {
            LogJobResumed(_tenantId, job.Id!, job.Kind, job.Attempts);
            Start(job);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Running jobs stay "running" in state and are started again by the next activation.
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Orleans disposes the grain instance when its activation ends.</summary>
    public void Dispose() => _stopping.Dispose();

    public Task<LedgerJob> StartVerificationAsync(string requestedBy, CancellationToken cancellationToken = default) =>
        QueueAsync(LedgerJobKind.Verification, null, requestedBy);

    public Task<LedgerJob> StartExportAsync(LedgerExportQuery query, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueueAsync(LedgerJobKind.Export, query, requestedBy);
    }

    public Task<LedgerJob?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Jobs.FirstOrDefault(j => j.Id == jobId) is { } job ? View(job) : null);

    public Task<IReadOnlyList<LedgerJob>> ListAsync(LedgerJobKind kind, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LedgerJob>>([.. Jobs.Where(j => j.Kind == kind).Reverse().Select(View)]);

    private LedgerJob View(LedgerJobState job) =>
        job.ToJob(_running.TryGetValue(job.Id!, out var live) ? live.Snapshot(finished: false) : null);

    private async Task<LedgerJob> QueueAsync(LedgerJobKind kind, LedgerExportQuery? query, string requestedBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestedBy);
        var now = _time.GetUtcNow();
        var job = new LedgerJobState
        {
            Id = Ulid.New(now),
            Kind = kind,
            Status = LedgerJobStatus.Queued,
            RequestedBy = requestedBy,
            Created = now,
            Progress = new LedgerJobProgress(),
            Query = query,
        };
        Jobs.Add(job);
        await PruneAsync(kind);
        await SaveAsync();
        LogJobQueued(_tenantId, job.Id, kind, requestedBy);
        Start(job);
        return View(job);
    }

    // Forgets the oldest finished jobs of a kind beyond the number kept, and deletes their bundles first: a bundle
    // nobody can find any more is not left behind.
    private async Task PruneAsync(LedgerJobKind kind)
    {
        var finished = Jobs.Where(j => j.Kind == kind && j.Status is LedgerJobStatus.Done or LedgerJobStatus.Failed).ToList();
        foreach (var old in finished.Take(Math.Max(0, Jobs.Count(j => j.Kind == kind) - _options.KeptJobs)))
        {
            await DeleteBundleAsync(old);
            if (old.Kind != LedgerJobKind.Export || old.BundleDeleted)
            {
                Jobs.Remove(old);
            }
        }
    }

    private void Start(LedgerJobState job)
    {
        var progress = new LedgerJobProgressCounter();
        _running[job.Id!] = progress;
        _progressTimer ??= this.RegisterGrainTimer(SaveProgressAsync, new GrainTimerCreationOptions
        {
            DueTime = ProgressSaveInterval,
            Period = ProgressSaveInterval,
            // Keeps the grain active while work runs beside it: idle collection would otherwise interrupt the job.
            KeepAlive = true,
        });
        _ = RunAsync(job, progress);
    }

    private async Task RunAsync(LedgerJobState job, LedgerJobProgressCounter progress)
    {
        job.Status = LedgerJobStatus.Running;
        job.Attempts++;
        job.Started = _time.GetUtcNow();
        job.Error = null;
        var ct = _stopping.Token;
        try
        {
            await SaveAsync();
            LogJobStarted(_tenantId, job.Id!, job.Kind, job.Attempts);
            var origin = _ledgerOptions.OriginFor(_tenantId);
            var store = _services.GetRequiredService<ILedgerReader>();
            var signer = _services.GetRequiredService<ILedgerSigner>();
            if (job.Kind == LedgerJobKind.Verification)
            {
                var tenantId = _tenantId;
                job.Verification = await Task.Run(() => LedgerVerificationWork.RunAsync(store, signer, tenantId, origin, progress, ct), ct);
            }
            else
            {
                var work = new LedgerExportWork(
                    store, signer, _services.GetService<ILedgerIndexReader>(), _services.GetRequiredService<ILedgerExportStore>(), _options);
                var (tenantId, id, query, by, created) = (_tenantId, job.Id!, job.Query ?? new LedgerExportQuery(), job.RequestedBy!, job.Created);
                job.Export = await Task.Run(() => work.RunAsync(tenantId, origin, id, query, by, created, progress, ct), ct);
            }

            job.Status = LedgerJobStatus.Done;
            LogJobDone(_tenantId, job.Id!, job.Kind);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Deactivating: the record stays "running", and the next activation starts the job again.
            _running.Remove(job.Id!);
            return;
        }
        catch (Exception ex)
        {
            job.Status = LedgerJobStatus.Failed;
            job.Error = ex.Message;
            LogJobFailed(ex, _tenantId, job.Id!, job.Kind);
        }

        job.Finished = _time.GetUtcNow();
        job.Progress = progress.Snapshot(finished: job.Status == LedgerJobStatus.Done);
        _running.Remove(job.Id!);
        StopTimerWhenIdle();
        try
        {
            await SaveAsync();
        }
        catch (Exception ex)
        {
            // The outcome is still served from memory; the next activation finds the job running and starts it again.
            LogSaveFailed(ex, _tenantId, job.Id!);
        }
    }

    private async Task SaveProgressAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, progress) in _running)
        {
            if (Jobs.FirstOrDefault(j => j.Id == id) is { } job)
            {
                job.Progress = progress.Snapshot(finished: false);
            }
        }

        StopTimerWhenIdle();
        await SaveAsync();
    }

    private void StopTimerWhenIdle()
    {
        if (_running.Count == 0 && _progressTimer is not null)
        {
            _progressTimer.Dispose();
            _progressTimer = null;
        }
    }

    // Saves one after the other: a job's work and the grain's calls interleave at awaits, and two writes of one state
    // at the same time would conflict on its ETag.
    private Task SaveAsync()
    {
        var previous = _saving;
        _saving = SaveAfterAsync(previous);
        return _saving;
    }

    private async Task SaveAfterAsync(Task previous)
    {
        await Task.WhenAny(previous);
        await _state.WriteStateAsync();
    }
}
