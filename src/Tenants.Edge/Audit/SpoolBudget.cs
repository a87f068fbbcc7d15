namespace Tenants.Edge.Audit;

/// <summary>
/// The byte limit shared by every tenant's spool on a node (<see cref="EdgeAuditOptions.SpoolMaxBytes"/>), so that the
/// node's disk use is bounded however many tenants are spooling. Thread-safe.
/// </summary>
internal sealed class SpoolBudget(long maxBytes)
{
    private long _used;

    /// <summary>Bytes held by every spool sharing this budget.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/> if that stays within the limit (always, when <paramref name="force"/>).</summary>
    public bool TryTake(long bytes, bool force = false)
    {
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            if (!force && used + bytes > maxBytes)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + bytes, used) == used)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back bytes whose files were deleted or set aside.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
}
