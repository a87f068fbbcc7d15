using Tenants.Abstractions.Tenancy;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>One tenant's policy as the edge enforces it: compiled, with the tenant's salt and the grants in force.</summary>
/// <param name="Policy">The compiled policy (<see cref="PolicyCompiler.None"/> when the tenant has none).</param>
/// <param name="Salt">The tenant's key for keyed hashes (<see cref="ValueHasher"/>).</param>
/// <param name="Grants">Approved grants, unexpired when fetched (compare <see cref="AccessGrant.ExpiresAt"/> with the clock).</param>
public sealed record EdgePolicy(IStatementPolicy Policy, byte[] Salt, IReadOnlyList<AccessGrant> Grants)
{
    /// <summary>No rules, no grants (a tenant without a policy, or an edge without grains).</summary>
    public static EdgePolicy None { get; } = new(PolicyCompiler.None, new byte[32], []);

    /// <summary>Whether <paramref name="memberId"/> holds a grant for <paramref name="endpointId"/> at <paramref name="now"/>.</summary>
    public bool HasGrant(string endpointId, string? memberId, DateTimeOffset now) =>
        memberId is not null && Grants.Any(g => g.EndpointId == endpointId && g.MemberId == memberId && g.ExpiresAt > now);
}
