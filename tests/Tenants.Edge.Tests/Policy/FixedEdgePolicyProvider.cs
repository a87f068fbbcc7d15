using Tenants.Edge.Policy;

namespace Tenants.Edge.Tests.Policy;

/// <summary>Gives every tenant the same policy handle (the grains' provider is another part of issue 7).</summary>
internal sealed class FixedEdgePolicyProvider(EdgePolicyHandle handle) : IEdgePolicyProvider
{
    public ValueTask<EdgePolicyHandle> GetAsync(string tenantId, CancellationToken cancellationToken) => ValueTask.FromResult(handle);
}
