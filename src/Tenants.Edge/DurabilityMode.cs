namespace Tenants.Edge;

/// <summary>How far a statement's audit event must have gone before, or while, the statement runs upstream.</summary>
public enum DurabilityMode
{
    /// <summary>
    /// The statement goes upstream only after the ledger acknowledged its <c>statement_submitted</c> event (in the
    /// journal in blob storage). If that fails or times out, the client gets SQLSTATE 55000 and the statement never
    /// runs: fail closed.
    /// </summary>
    Durable,

    /// <summary>
    /// The statement goes upstream at once; its event is queued for the ledger in order. A full queue makes the session
    /// wait (bounded by <see cref="EdgeAuditOptions.SequencedMaxWait"/>) instead of losing the event.
    /// </summary>
    Sequenced,

    /// <summary>
    /// The statement goes upstream at once and its event never makes the session wait. While the ledger is out of
    /// reach, or the queue is full, events go to the node's bounded disk spool and are replayed in order later.
    /// </summary>
    Async,
}
