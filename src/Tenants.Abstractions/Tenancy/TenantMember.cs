namespace Tenants.Abstractions.Tenancy;

/// <summary>A person in a tenant.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-member.v1")]
public sealed record TenantMember
{
    /// <summary>Member id (<c>^[a-z0-9][a-z0-9._-]{0,62}$</c>), unique in the tenant; used as the author of changes.</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Email { get; init; }

    [Id(2)] public required MemberRole Role { get; init; }

    [Id(3)] public DateTimeOffset Added { get; init; }
}
