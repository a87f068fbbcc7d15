namespace Tenants.Edge;

/// <summary>How the node keeps tenants' policies (section <c>Edge:Policy</c>).</summary>
public sealed class EdgePolicyOptions
{
    /// <summary>
    /// How often the node asks the tenant grains for the policies of tenants it has sessions for: a published policy
    /// (or a new grant) is enforced on every node within about this time, sessions already open included.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
