namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// The durability of an endpoint's statements per statement class. A class left out is <see cref="AuditDurability.Durable"/>
/// (fail closed); <see cref="Default"/> (what an endpoint without durability settings gets) is the house plan's choice (and the edge's <c>EndpointDurabilityOptions</c>):
/// writes, ddl, dcl and other durable; reads and tcl sequenced.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.endpoint-durability.v1")]
public sealed record EndpointDurability
{
    /// <summary>Reads and tcl sequenced, everything else durable.</summary>
    public static EndpointDurability Default => new() { Read = AuditDurability.Sequenced, Tcl = AuditDurability.Sequenced };

    [Id(0)] public AuditDurability Read { get; init; }

    [Id(1)] public AuditDurability Write { get; init; }

    [Id(2)] public AuditDurability Ddl { get; init; }

    [Id(3)] public AuditDurability Dcl { get; init; }

    [Id(4)] public AuditDurability Tcl { get; init; }

    [Id(5)] public AuditDurability Other { get; init; }
}
