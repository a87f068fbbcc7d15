namespace Tenants.Host.Hosting;

/// <summary>Which roles this process plays. All three by default: the embedded single node.</summary>
public sealed class TenantsHostOptions
{
    public const string SectionName = "Tenants";

    /// <summary>
    /// Comma-separated roles: <c>silo</c> (hosts grains), <c>api</c> (REST API and portal), <c>edge</c> (PostgreSQL
    /// proxy). Nodes without <c>silo</c> join the cluster as Orleans clients.
    /// </summary>
    public string Roles { get; set; } = "silo,api,edge";

    public bool Has(string role) =>
        Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(role, StringComparer.OrdinalIgnoreCase);
}
