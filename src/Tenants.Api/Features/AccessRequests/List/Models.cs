namespace Tenants.Api.Features.AccessRequests.List;

/// <summary>Filters and paging of access requests.</summary>
public sealed class ListAccessRequestsRequest
{
    /// <summary><c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>revoked</c> or <c>expired</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Only this member's requests.</summary>
    public string? Member { get; set; }

    /// <summary>Only requests for this endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>At most this many (1-1000, default 100).</summary>
    public int? Limit { get; set; }

    /// <summary>Only requests older than this id (the <c>next</c> of the previous page).</summary>
    public string? Before { get; set; }
}

/// <summary>Access requests the caller may see, newest first.</summary>
public sealed class ListAccessRequestsResponse
{
    public required IReadOnlyList<AccessRequestItem> Items { get; init; }

    /// <summary>Pass as <c>before</c> for the next page; null on the last.</summary>
    public string? Next { get; init; }
}
