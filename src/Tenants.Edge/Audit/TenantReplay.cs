namespace Tenants.Edge.Audit;

/// <summary>
/// The replay state of one tenant's spool, owned by the delivery loop: the replay running now, if any, and when the
/// next may start (at once after a success, backing off from 100 ms to 10 s after failures). Each tenant backs off
/// on its own, so a ledger that stays down delays only its own tenant's replay.
/// </summary>
internal sealed class TenantReplay(string tenantId)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private TimeSpan _retry = TimeSpan.Zero;
    private long _next;

    public string TenantId { get; } = tenantId;

    /// <summary>The replay running now: true once it emptied the spool or gave way to others, false if a delivery failed.</summary>
    public Task<bool>? Running { get; set; }

    /// <summary>When the last replay started (a timestamp of the loop's <see cref="TimeProvider"/>): the longest idle goes first.</summary>
    public long LastStarted { get; set; }

    /// <summary>Sets when the next replay may start: at once after a success, later and later after each failure.</summary>
    public void Schedule(bool failed, TimeProvider time)
    {
        _retry = failed ? TimeSpan.FromTicks(Math.Clamp(_retry.Ticks * 2, FirstRetry.Ticks, LastRetry.Ticks)) : TimeSpan.Zero;
        _next = time.GetTimestamp() + (long)(_retry.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How long until the next replay may start; zero when it may start now.</summary>
    public TimeSpan DueIn(TimeProvider time)
    {
        var left = _next - time.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / time.TimestampFrequency);
    }
}
