namespace Tenants.Abstractions.Accounts;

/// <summary>That a person is member <see cref="MemberId"/> of tenant <see cref="TenantId"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.account-membership.v1")]
public sealed record AccountMembership(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string MemberId);
