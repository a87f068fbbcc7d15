namespace Tenants.Edge.Policy;

/// <summary>The provider of an edge without grains (the proxy alone, in tests): every tenant has no policy.</summary>
internal sealed class NoEdgePolicyProvider : IEdgePolicyProvider
{
    public ValueTask<EdgePolicyHandle> GetAsync(string tenantId, CancellationToken cancellationToken) => ValueTask.FromResult(EdgePolicyHandle.None);
}
