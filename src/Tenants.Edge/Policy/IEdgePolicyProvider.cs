namespace Tenants.Edge.Policy;

/// <summary>Where the edge gets tenants' policies: the tenant grains (kept fresh within seconds) when running with Orleans.</summary>
public interface IEdgePolicyProvider
{
    /// <summary>The handle of <paramref name="tenantId"/>'s policy, loaded first if this node has not seen it yet.</summary>
    ValueTask<EdgePolicyHandle> GetAsync(string tenantId, CancellationToken cancellationToken);
}
