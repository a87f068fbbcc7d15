namespace Tenants.Api.Features.Members.Remove;

public sealed class RemoveMemberRequest
{
    /// <summary>From the route.</summary>
    public string MemberId { get; set; } = string.Empty;
}
