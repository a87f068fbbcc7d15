namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// The durability of an endpoint's statements per statement class. The defaults are the house plan's (and the edge's
/// <c>EndpointDurabilityOptions</c>): writes, ddl, dcl and other durable; reads and tcl sequenced.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.endpoint-durability.v1")]
public sealed record EndpointDurability
{
    [Id(0)] public AuditDurability Read { get; init; } = AuditDurability.Sequenced;

    [Id(1)] public AuditDurability Write { get; init; } = AuditDurability.Durable;

    [Id(2)] public AuditDurability Ddl { get; init; } = AuditDurability.Durable;

    [Id(3)] public AuditDurability Dcl { get; init; } = AuditDurability.Durable;

    [Id(4)] public AuditDurability Tcl { get; init; } = AuditDurability.Sequenced;

    [Id(5)] public AuditDurability Other { get; init; } = AuditDurability.Durable;
}
