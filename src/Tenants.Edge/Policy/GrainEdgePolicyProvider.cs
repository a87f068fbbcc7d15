using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Tenancy;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// Tenants' policies from the tenant grains. A tenant's snapshot is fetched when the first session of this node needs
/// it (within <see cref="EdgeDirectoryOptions.LookupTimeout"/>), compiled once per document hash, and refreshed every
/// <see cref="EdgePolicyOptions.RefreshInterval"/> while a session holds its handle. Handles are held weakly: a tenant
/// whose sessions have all ended is dropped, so memory follows the tenants in use, not all tenants.
/// </summary>
/// <remarks>
/// When a refresh fails, the last policy stays in force. When the first fetch fails, <see cref="GetAsync"/> throws
/// <see cref="EdgePolicyUnavailableException"/> (the session is refused): the edge never runs a tenant unguarded.
/// A document that does not compile keeps the previous compiled version in force, or, without one, denies everything
/// (<see cref="FailClosedPolicy"/>).
/// </remarks>
internal sealed partial class GrainEdgePolicyProvider : IEdgePolicyProvider, IDisposable
{
    private readonly Func<string, CancellationToken, Task<EdgePolicySnapshot?>> _fetch;
    private readonly IOptionsMonitor<EdgeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GrainEdgePolicyProvider> _logger;
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<EdgePolicyHandle>>> _loading = new(StringComparer.Ordinal);
    private readonly Lock _timerLock = new();
    private ITimer? _timer;
    private int _refreshing;

    public GrainEdgePolicyProvider(IGrainFactory grains, IOptionsMonitor<EdgeOptions> options, TimeProvider time, ILogger<GrainEdgePolicyProvider> logger)
        : this((tenantId, cancellationToken) => grains.GetGrain<ITenantGrain>(tenantId).GetEdgePolicyAsync(cancellationToken), options, time, logger)
    {
    }

    /// <summary>A provider that asks <paramref name="fetch"/> for snapshots (the grains, or a test's stand-in).</summary>
    internal GrainEdgePolicyProvider(Func<string, CancellationToken, Task<EdgePolicySnapshot?>> fetch, IOptionsMonitor<EdgeOptions> options, TimeProvider time, ILogger<GrainEdgePolicyProvider> logger)
    {
        _fetch = fetch;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Tenants this node keeps a policy for (for tests and metrics).</summary>
    public int TenantCount => _tenants.Count;

    public ValueTask<EdgePolicyHandle> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_tenants.TryGetValue(tenantId, out var entry) && entry.Handle.TryGetTarget(out var handle))
        {
            return ValueTask.FromResult(handle);
        }

        return new ValueTask<EdgePolicyHandle>(LoadOnceAsync(tenantId, cancellationToken));
    }

    private async Task<EdgePolicyHandle> LoadOnceAsync(string tenantId, CancellationToken cancellationToken)
    {
        // Sessions of a tenant that arrive together share one fetch.
        var load = _loading.GetOrAdd(tenantId, id => new Lazy<Task<EdgePolicyHandle>>(() => LoadAsync(id)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (load.Value.IsCompleted)
            {
                _loading.TryRemove(new KeyValuePair<string, Lazy<Task<EdgePolicyHandle>>>(tenantId, load));
            }
        }
    }

    private async Task<EdgePolicyHandle> LoadAsync(string tenantId)
    {
        EdgePolicySnapshot snapshot;
        try
        {
            snapshot = await FetchAsync(tenantId);
        }
        catch (Exception ex)
        {
            LogFirstFetchFailed(ex, tenantId);
            throw new EdgePolicyUnavailableException(
                ex is TimeoutException ? "the tenant's policy could not be loaded in time" : "the tenant's policy could not be loaded", ex);
        }

        var entry = new Entry();
        var handle = new EdgePolicyHandle(Build(tenantId, entry, snapshot, previous: null));
        entry.Handle.SetTarget(handle);
        _tenants[tenantId] = entry;
        EnsureTimer();
        return handle;
    }

    /// <summary>The tenant's snapshot; a tenant the grains do not know (an endpoint configured on the node only) has no policy.</summary>
    private async Task<EdgePolicySnapshot> FetchAsync(string tenantId) =>
        await _fetch(tenantId, CancellationToken.None).WaitAsync(_options.CurrentValue.Directory.LookupTimeout, _time)
        ?? new EdgePolicySnapshot { TenantVersion = 0, Salt = new byte[32] };

    /// <summary>The edge policy of a snapshot, compiling its document only when its hash differs from the one in force.</summary>
    private EdgePolicy Build(string tenantId, Entry entry, EdgePolicySnapshot snapshot, EdgePolicy? previous)
    {
        entry.TenantVersion = snapshot.TenantVersion;
        IStatementPolicy compiled;
        if (snapshot.Policy is not { } document)
        {
            compiled = PolicyCompiler.None;
        }
        else if (previous is not null && previous.Policy.VersionHash == document.DocumentSha256)
        {
            compiled = previous.Policy;
        }
        else
        {
            var compilation = PolicyCompiler.Compile(document.Document, document.Version, document.DocumentSha256);
            if (compilation.Policy is { } policy)
            {
                compiled = policy;
            }
            else
            {
                var problems = string.Join("; ", compilation.Problems.Select(p => $"{p.Path}: {p.Message}"));
                var keep = previous is not null && previous.Policy is not FailClosedPolicy && !ReferenceEquals(previous.Policy, PolicyCompiler.None);
                LogNotCompiled(tenantId, document.Version, problems, keep ? previous!.Policy.Version : null);
                compiled = keep ? previous!.Policy : new FailClosedPolicy(document.Version, document.DocumentSha256);
            }
        }

        return new EdgePolicy(compiled, snapshot.Salt, snapshot.Grants);
    }

    private void EnsureTimer()
    {
        lock (_timerLock)
        {
            if (_timer is null)
            {
                var interval = _options.CurrentValue.Policy.RefreshInterval;
                _timer = _time.CreateTimer(_ => _ = RefreshAsync(), null, interval, interval);
            }
        }
    }

    /// <summary>Fetches every tenant with a live handle again; drops the tenants no session holds any more.</summary>
    internal async Task RefreshAsync()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        try
        {
            var work = new List<Task>();
            foreach (var (tenantId, entry) in _tenants)
            {
                if (!entry.Handle.TryGetTarget(out var handle))
                {
                    _tenants.TryRemove(new KeyValuePair<string, Entry>(tenantId, entry));
                    continue;
                }

                work.Add(RefreshAsync(tenantId, entry, handle));
            }

            await Task.WhenAll(work);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task RefreshAsync(string tenantId, Entry entry, EdgePolicyHandle handle)
    {
        try
        {
            var snapshot = await FetchAsync(tenantId);
            if (snapshot.TenantVersion != entry.TenantVersion)
            {
                var current = handle.Current;
                var next = Build(tenantId, entry, snapshot, current);
                handle.Set(next);
                if (!ReferenceEquals(next.Policy, current.Policy))
                {
                    LogPolicyChanged(tenantId, next.Policy.Version, next.Policy.VersionHash);
                }
            }
        }
        catch (Exception ex)
        {
            LogRefreshFailed(ex, tenantId, handle.Current.Policy.Version);
        }
    }

    public void Dispose()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private sealed class Entry
    {
        public WeakReference<EdgePolicyHandle> Handle { get; } = new(null!);

        public long TenantVersion { get; set; } = -1;
    }

    [LoggerMessage(EventId = 7300, EventName = "EdgePolicyFirstFetchFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: the policy could not be loaded; its connections are refused until it can")]
    private partial void LogFirstFetchFailed(Exception exception, string tenantId);

    [LoggerMessage(EventId = 7301, EventName = "EdgePolicyRefreshFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: the policy could not be refreshed; policy version {Version} stays in force")]
    private partial void LogRefreshFailed(Exception exception, string tenantId, int version);

    [LoggerMessage(EventId = 7302, EventName = "EdgePolicyNotCompiled", Level = LogLevel.Error,
        Message = "Tenant {TenantId}: policy version {Version} does not compile at the edge ({Problems}); enforcing version {KeptVersion} (none: every statement is denied)")]
    private partial void LogNotCompiled(string tenantId, int version, string problems, int? keptVersion);

    [LoggerMessage(EventId = 7303, EventName = "EdgePolicyChanged", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: now enforcing policy version {Version} ({VersionHash})")]
    private partial void LogPolicyChanged(string tenantId, int version, string versionHash);
}
