namespace Tenants.Api.Features.Policies.Diff;

/// <summary>Two versions to compare (route).</summary>
public sealed class DiffPoliciesRequest
{
    public int A { get; set; }

    public int B { get; set; }
}

/// <summary>A line diff of the canonical pretty-printed documents of two versions.</summary>
public sealed class DiffPoliciesResponse
{
    public required int From { get; init; }

    public required int To { get; init; }

    /// <summary>Lines only in <see cref="To"/>.</summary>
    public required int Added { get; init; }

    /// <summary>Lines only in <see cref="From"/>.</summary>
    public required int Removed { get; init; }

    /// <summary>Every line, prefixed with <c>' '</c> (in both), <c>'-'</c> (only in from) or <c>'+'</c> (only in to).</summary>
    public required IReadOnlyList<string> Lines { get; init; }
}
