namespace Tenants.Edge.Policy;

/// <summary>
/// The policy's session limits on this node: concurrent sessions per (tenant, endpoint, person or database user) and a
/// token bucket of statements per second per (tenant, person or database user). Entries live while a session of
/// theirs does, so memory follows the sessions open. Limits are per edge node: N nodes admit up to N times as much.
/// </summary>
internal sealed class PolicySessionLimiter(TimeProvider time)
{
    private readonly Dictionary<(string Tenant, string Who), Subject> _subjects = [];
    private readonly Lock _lock = new();

    /// <summary>A session's place among its subject's sessions, or null when <paramref name="maxConcurrent"/> are already open.</summary>
    public Lease? TryAcquire(string tenantId, string endpointId, string who, int? maxConcurrent)
    {
        lock (_lock)
        {
            if (!_subjects.TryGetValue((tenantId, who), out var subject))
            {
                subject = new Subject(time);
                _subjects[(tenantId, who)] = subject;
            }

            var open = subject.Sessions.GetValueOrDefault(endpointId);
            if (maxConcurrent is { } max && open >= max)
            {
                if (subject.Sessions.Count == 0)
                {
                    _subjects.Remove((tenantId, who));
                }

                return null;
            }

            subject.Sessions[endpointId] = open + 1;
            return new Lease(this, (tenantId, who), endpointId, subject);
        }
    }

    private void Release((string, string) key, string endpointId, Subject subject)
    {
        lock (_lock)
        {
            var left = subject.Sessions[endpointId] - 1;
            if (left > 0)
            {
                subject.Sessions[endpointId] = left;
                return;
            }

            subject.Sessions.Remove(endpointId);
            if (subject.Sessions.Count == 0)
            {
                _subjects.Remove(key);
            }
        }
    }

    /// <summary>One session's hold on its subject's limits; disposing it ends the session's count.</summary>
    internal sealed class Lease(PolicySessionLimiter owner, (string, string) key, string endpointId, Subject subject) : IDisposable
    {
        private int _disposed;

        /// <summary>Takes one statement from the subject's bucket of <paramref name="perSecond"/>; false when it is empty.</summary>
        public bool TryTakeStatement(double perSecond) => subject.TryTake(perSecond);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(key, endpointId, subject);
            }
        }
    }

    /// <summary>The sessions (per endpoint) and the statement bucket of one person or database user of a tenant.</summary>
    internal sealed class Subject(TimeProvider time)
    {
        private readonly Lock _bucketLock = new();
        private double _tokens = double.NaN;
        private long _last;

        public Dictionary<string, int> Sessions { get; } = new(StringComparer.Ordinal);

        /// <summary>A bucket that holds at most one second of statements (at least one) and refills continuously.</summary>
        public bool TryTake(double perSecond)
        {
            var capacity = Math.Max(1, perSecond);
            lock (_bucketLock)
            {
                var now = time.GetTimestamp();
                _tokens = double.IsNaN(_tokens) ? capacity : Math.Min(capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }
    }
}
