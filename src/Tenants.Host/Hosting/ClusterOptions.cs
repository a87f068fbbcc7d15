using System.ComponentModel.DataAnnotations;

namespace Tenants.Host.Hosting;

/// <summary>
/// How this node finds the Orleans cluster. (Not the <c>Orleans</c> section: Orleans reads that one itself.)
/// </summary>
public sealed class TenantsClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// <c>Localhost</c> (the embedded single node) or <c>Postgres</c> (ADO.NET membership in the database named by
    /// <c>ConnectionStrings:Orleans</c>, falling back to <c>ConnectionStrings:Postgres</c>).
    /// </summary>
    [RegularExpression("^(Localhost|Postgres)$")]
    public string Clustering { get; set; } = "Localhost";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (edge-only and api-only nodes) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at, with <c>Postgres</c> clustering. Empty: the machine's
    /// first non-loopback address. Set it where that guess is wrong (containers, several interfaces, one machine).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Cluster id: nodes with the same id form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "tenants";

    /// <summary>Service id: stable across deployments; grain state is keyed by it.</summary>
    [Required]
    public string ServiceId { get; set; } = "tenants";
}
