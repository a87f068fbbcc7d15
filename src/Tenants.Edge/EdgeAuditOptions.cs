namespace Tenants.Edge;

/// <summary>How the node delivers audit events in the three durability modes (section <c>Edge:Audit</c>).</summary>
public sealed class EdgeAuditOptions
{
    /// <summary>
    /// Longest a durable statement waits for the ledger to acknowledge its event; past it the client gets SQLSTATE
    /// 55000 and the statement does not run. Also the bound on each delivery call to a ledger grain.
    /// </summary>
    public TimeSpan DurableTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest a session waits for room in the full audit queue before a sequenced event goes to the disk spool instead
    /// (and is dropped, counted, only if the spool is full too).
    /// </summary>
    public TimeSpan SequencedMaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Folder of the disk spool; a relative path is under the host's content root. Each node needs its own folder.
    /// </summary>
    public string SpoolPath { get; set; } = "data/edge-spool";

    /// <summary>Most bytes the spool may hold on disk; events that would go past it are dropped, counted and logged.</summary>
    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <summary>Size at which the spool starts a new segment file; a segment is deleted once all its events are acknowledged.</summary>
    public long SpoolSegmentBytes { get; set; } = 4L << 20;
}
