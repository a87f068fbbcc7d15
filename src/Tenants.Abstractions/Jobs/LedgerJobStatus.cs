namespace Tenants.Abstractions.Jobs;

/// <summary>Where a background ledger job stands.</summary>
public enum LedgerJobStatus
{
    /// <summary>Accepted, not started yet.</summary>
    Queued = 0,

    /// <summary>Working; progress says how far.</summary>
    Running = 1,

    /// <summary>Finished; the result is there (a verification that found a problem is done too, with valid false).</summary>
    Done = 2,

    /// <summary>Could not finish; the error says why.</summary>
    Failed = 3,
}
