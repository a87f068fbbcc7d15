namespace Tenants.Abstractions.Tenancy;

/// <summary>A key just issued: its record and, this once only, its secret (<c>tk_&lt;tenant&gt;_&lt;key-id&gt;_&lt;random&gt;</c>).</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.issued-tenant-key.v1")]
public sealed record IssuedTenantKey(
    [property: Id(0)] TenantKey Key,
    [property: Id(1)] string Secret);
