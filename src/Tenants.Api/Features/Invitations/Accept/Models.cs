using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Invitations.Accept;

/// <summary>Accepting an invitation: a password for a new account; nothing for a person who has an account.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class AcceptInvitationRequest
{
    /// <summary>From the route.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>The new account's password (at least 12 characters, not the email); ignored when the account exists.</summary>
    public string? Password { get; set; }
}

/// <summary>Where the person joined, and whether they are now signed in (a new account is; an existing one signs in).</summary>
public sealed class AcceptInvitationResponse
{
    public required string TenantId { get; init; }

    public required string MemberId { get; init; }

    public required string Email { get; init; }

    public required bool AccountCreated { get; init; }

    public required bool SignedIn { get; init; }
}
