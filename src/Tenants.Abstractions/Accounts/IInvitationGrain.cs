namespace Tenants.Abstractions.Accounts;

/// <summary>
/// One per invitation (keyed by its id, a ULID): who is invited to which tenant as which member, and the SHA-256 of the
/// one-time token (<c>inv_&lt;id&gt;_&lt;random&gt;</c>) that accepts it. Tokens expire and work once.
/// </summary>
[Alias("tenants.invitation-grain.v1")]
public interface IInvitationGrain : IGrainWithStringKey
{
    /// <summary>Records the invitation and returns its token, this once only. An invitation id is used once.</summary>
    [Alias("IssueAsync")]
    Task<string> IssueAsync(Invitation invitation, CancellationToken cancellationToken = default);

    /// <summary>What <see cref="RedeemAsync"/> would answer, without using the invitation.</summary>
    [Alias("CheckAsync")]
    Task<InvitationRedemption> CheckAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uses the invitation: the token must match (constant time), not be expired and not used before. Success marks
    /// it used; any failure changes nothing.
    /// </summary>
    [Alias("RedeemAsync")]
    Task<InvitationRedemption> RedeemAsync(string token, CancellationToken cancellationToken = default);
}
