using Tenants.Abstractions.Accounts;

namespace Tenants.Grains.Accounts;

/// <summary>What an invitation grain persists: the invitation, the token's SHA-256 (never the token) and when it was used.</summary>
[GenerateSerializer]
[Alias("tenants.invitation-state.v1")]
public sealed class InvitationState
{
    [Id(0)] public Invitation? Invitation { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token's UTF-8 bytes.</summary>
    [Id(1)] public string? TokenSha256 { get; set; }

    [Id(2)] public DateTimeOffset? Redeemed { get; set; }
}
