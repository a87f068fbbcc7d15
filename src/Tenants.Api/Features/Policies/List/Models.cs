namespace Tenants.Api.Features.Policies.List;

/// <summary>A page of policy versions, newest first.</summary>
public sealed class ListPoliciesRequest
{
    /// <summary>At most this many versions (1-1000, default 50).</summary>
    public int? Limit { get; set; }

    /// <summary>Only versions below this one (the <c>next</c> of the previous page).</summary>
    public int? Before { get; set; }
}

/// <summary>Policy versions, newest first.</summary>
public sealed class ListPoliciesResponse
{
    public required IReadOnlyList<PolicyVersionItem> Items { get; init; }

    /// <summary>Pass as <c>before</c> for the next page; null on the last.</summary>
    public int? Next { get; init; }
}
