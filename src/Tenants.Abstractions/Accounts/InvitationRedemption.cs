namespace Tenants.Abstractions.Accounts;

/// <summary>The answer to <see cref="IInvitationGrain.RedeemAsync"/>: the invitation, or why it cannot be used.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.invitation-redemption.v1")]
public sealed record InvitationRedemption
{
    [Id(0)] public Invitation? Invitation { get; init; }

    /// <summary>Unknown, expired or already used; null on success.</summary>
    [Id(1)] public string? Failure { get; init; }
}
