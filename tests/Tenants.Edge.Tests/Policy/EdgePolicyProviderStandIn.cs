using Tenants.Edge.Policy;

namespace Tenants.Edge.Tests.Policy;

/// <summary>A test double of the grains' policy distribution: one handle per tenant that the test sets, or a failure.</summary>
public sealed class EdgePolicyProviderStandIn : IEdgePolicyProvider
{
    public EdgePolicyHandle Handle { get; } = new(EdgePolicy.None);

    /// <summary>When true, every load fails as an unreachable cluster would.</summary>
    public bool Unavailable { get; set; }

    public ValueTask<EdgePolicyHandle> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        Unavailable ? throw new EdgePolicyUnavailableException("the tenant's policy could not be loaded") : ValueTask.FromResult(Handle);
}
