namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// The answer to a brokered sign-in (<see cref="ITenantGrain.AuthenticatePersonAsync"/>): the member it signs in, or
/// why not. The reason is for the audit trail and the tenant's admins; the client is only told that the sign-in failed.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.person-authentication.v1")]
public sealed record PersonAuthentication
{
    /// <summary>
    /// The member signed in; when refused, the member whose token it was if the secret matched one (a revoked token, a
    /// missing scope), so the refusal can be filed under that person; otherwise null.
    /// </summary>
    [Id(0)] public string? MemberId { get; init; }

    /// <summary>The personal access token used (its key id); null when refused before a token was found.</summary>
    [Id(1)] public string? KeyId { get; init; }

    /// <summary>Why the sign-in was refused; null when it succeeded.</summary>
    [Id(2)] public string? Failure { get; init; }

    /// <summary>The member's role in the tenant when signed in (policy rules scoped by role match on it); null when refused.</summary>
    [Id(3)] public MemberRole? Role { get; init; }

    public bool Succeeded => MemberId is not null && Failure is null;

    public static PersonAuthentication Refused(string failure, TenantKey? key = null) => new() { Failure = failure, KeyId = key?.Id, MemberId = key?.IssuedBy };
}
