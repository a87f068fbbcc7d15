namespace Tenants.Abstractions.Tenancy;

/// <summary>How far a statement's audit event must have gone before the statement runs (the edge's durability modes).</summary>
[GenerateSerializer]
[Alias("tenants.audit-durability.v1")]
public enum AuditDurability
{
    /// <summary>In the journal in blob storage before the statement goes upstream; fail closed.</summary>
    Durable = 0,

    /// <summary>Accepted and ordered by the ledger; the statement goes upstream at once.</summary>
    Sequenced = 1,

    /// <summary>Never makes the session wait; spooled on the edge node while the ledger is out of reach.</summary>
    Async = 2,
}
