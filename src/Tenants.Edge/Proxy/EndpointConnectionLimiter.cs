using System.Collections.Concurrent;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Counts live sessions per endpoint (to enforce <see cref="EdgeEndpointOptions.MaxConnections"/>) and in total (so
/// that shutdown can wait for sessions to drain before the audit queue closes).
/// </summary>
internal sealed class EndpointConnectionLimiter
{
    private readonly ConcurrentDictionary<string, int> _perEndpoint = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _total;
    private TaskCompletionSource? _drained;

    /// <summary>Sessions open now.</summary>
    public int Active => Volatile.Read(ref _total);

    /// <summary>A lease for one more session, or null when the endpoint is at its limit.</summary>
    public IDisposable? TryAcquire(EdgeEndpointOptions endpoint)
    {
        var count = _perEndpoint.AddOrUpdate(endpoint.Id, 1, (_, n) => n + 1);
        if (endpoint.MaxConnections > 0 && count > endpoint.MaxConnections)
        {
            _perEndpoint.AddOrUpdate(endpoint.Id, 0, (_, n) => n - 1);
            return null;
        }

        lock (_lock)
        {
            _total++;
        }

        return new Lease(this, endpoint.Id);
    }

    /// <summary>Completes when no session is open (at once if none is).</summary>
    public Task WaitUntilDrainedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_total == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task.WaitAsync(cancellationToken);
        }
    }

    private void Release(string endpointId)
    {
        _perEndpoint.AddOrUpdate(endpointId, 0, (_, n) => n - 1);
        lock (_lock)
        {
            if (--_total == 0 && _drained is not null)
            {
                _drained.TrySetResult();
                _drained = null;
            }
        }
    }

    private sealed class Lease(EndpointConnectionLimiter owner, string endpointId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(endpointId);
            }
        }
    }
}
