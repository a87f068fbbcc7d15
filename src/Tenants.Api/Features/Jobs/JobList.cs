namespace Tenants.Api.Features.Jobs;

/// <summary>A page of jobs, newest first.</summary>
public sealed class JobList
{
    public required IReadOnlyList<JobItem> Items { get; init; }

    /// <summary>The <c>before</c> of the next page, or null on the last page.</summary>
    public string? Next { get; init; }
}
