using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Members.Invite;

/// <summary>A person to add to the tenant.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class InviteMemberRequest
{
    public string? Email { get; set; }

    /// <summary><c>owner</c> (owners only), <c>admin</c>, <c>auditor</c> or <c>developer</c>.</summary>
    public string? Role { get; set; }

    /// <summary>The member id; made from the email's local part when left out.</summary>
    public string? MemberId { get; set; }
}

/// <summary>The member added and the invitation that lets the person in.</summary>
public sealed class InviteMemberResponse
{
    public required MemberItem Member { get; init; }

    /// <summary>The one-time invitation token; shown this once. Hand it over, or the <see cref="AcceptPath"/>.</summary>
    public required string InvitationToken { get; init; }

    /// <summary>Where the invited person accepts (<c>POST</c>).</summary>
    public required string AcceptPath { get; init; }

    public required DateTimeOffset Expires { get; init; }
}
