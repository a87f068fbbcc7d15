using System.ComponentModel.DataAnnotations;

namespace Tenants.Edge;

/// <summary>One tenant endpoint: the database behind it and how clients reach it.</summary>
public sealed class EdgeEndpointOptions
{
    /// <summary>Endpoint id, as clients name it (<c>options=endpoint=&lt;id&gt;</c> or <c>user@&lt;id&gt;</c>).</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string Id { get; set; } = string.Empty;

    /// <summary>The tenant that owns the endpoint.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Upstream PostgreSQL host.</summary>
    [Required]
    public string UpstreamHost { get; set; } = string.Empty;

    /// <summary>Upstream PostgreSQL port.</summary>
    [Range(1, 65535)]
    public int UpstreamPort { get; set; } = 5432;

    /// <summary>TLS to the upstream server.</summary>
    public UpstreamSslMode UpstreamSslMode { get; set; } = UpstreamSslMode.Disable;

    /// <summary>PEM file of the CA that signs the upstream server's certificate (verify-full); empty for the system's trust.</summary>
    public string? UpstreamCaCertificatePath { get; set; }

    /// <summary>
    /// PEM text of the CA that signs the upstream server's certificate (verify-full), as endpoints from the directory
    /// carry it; when set it is used instead of <see cref="UpstreamCaCertificatePath"/>.
    /// </summary>
    public string? UpstreamCaCertificatePem { get; set; }

    /// <summary>The database a session uses when the client names none; empty for PostgreSQL's own default (the user name).</summary>
    public string? DefaultDatabase { get; set; }

    /// <summary>A dedicated listener port for this endpoint (local mode); 0 for none.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>A disabled endpoint refuses connections with a message saying so.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sessions the endpoint accepts at once through this node; 0 for no limit. Beyond it: SQLSTATE 53300.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnections { get; set; }

    /// <summary>Whether replication connections (<c>replication=true|database</c>) may pass; refused with 42501 otherwise.</summary>
    public bool AllowReplication { get; set; }

    /// <summary>
    /// Brokered credentials: when set, clients sign in with a personal access token of the tenant and sessions log in
    /// upstream with the stored credential; when null, the database authenticates each client (passthrough).
    /// </summary>
    public EdgeBrokerOptions? Broker { get; set; }

    /// <summary>Durability per statement class (<c>durable</c>, <c>sequenced</c> or <c>async</c>).</summary>
    public EndpointDurabilityOptions Durability { get; set; } = new();
}
