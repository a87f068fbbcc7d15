namespace Tenants.Api.Features.Members.List;

/// <summary>The tenant's members, in the order they were added.</summary>
public sealed class ListMembersResponse
{
    public required IReadOnlyList<MemberItem> Items { get; init; }
}
