using Tenants.Abstractions.Tenancy;

namespace Tenants.Abstractions.Accounts;

/// <summary>An invitation to join a tenant as an already added member.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.invitation.v1")]
public sealed record Invitation
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string TenantId { get; init; }

    [Id(2)] public required string MemberId { get; init; }

    /// <summary>The invited email, normalised.</summary>
    [Id(3)] public required string Email { get; init; }

    [Id(4)] public required MemberRole Role { get; init; }

    /// <summary>The member who invited.</summary>
    [Id(5)] public required string InvitedBy { get; init; }

    [Id(6)] public required DateTimeOffset Expires { get; init; }
}
