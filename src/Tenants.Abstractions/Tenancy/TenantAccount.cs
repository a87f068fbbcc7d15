namespace Tenants.Abstractions.Tenancy;

/// <summary>A tenant's account: who it is and how many changes it has seen.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-account.v1")]
public sealed record TenantAccount
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public required string DisplayName { get; init; }

    [Id(2)] public DateTimeOffset Created { get; init; }

    /// <summary>Goes up by one with every change to the tenant (account, endpoints, members, keys, policies).</summary>
    [Id(3)] public long Version { get; init; }
}
