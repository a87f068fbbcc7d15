using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;

namespace Tenants.Api.Features.Members;

/// <summary>A member of the caller's tenant.</summary>
public sealed class MemberItem
{
    public required string Id { get; init; }

    public required string Email { get; init; }

    /// <summary><c>owner</c>, <c>admin</c>, <c>auditor</c> or <c>developer</c>.</summary>
    public required string Role { get; init; }

    public DateTimeOffset Added { get; init; }

    internal static MemberItem From(TenantMember m) => new() { Id = m.Id, Email = m.Email, Role = RoleNames.Name(m.Role), Added = m.Added };
}
