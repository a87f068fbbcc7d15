namespace Tenants.Edge.Audit;

/// <summary>
/// Where one tenant's next non-durable event goes, decided under <see cref="Lock"/> so that the tenant's events keep
/// the order in which they were accepted: into the queue while there is room, or, from the first one that found it
/// full, into the tenant's overflow spool, until every event the tenant had in the queue before has been delivered
/// or spooled (<see cref="Queued"/> is back to zero) and the overflow has been moved behind the spool.
/// </summary>
internal sealed class TenantGate
{
    public Lock Lock { get; } = new();

    /// <summary>The tenant's non-durable events in the queue or in the delivery loop's hands.</summary>
    public int Queued { get; set; }

    /// <summary>True from the first event that overflowed until the overflow is moved behind the spool.</summary>
    public bool Overflowing { get; set; }
}
