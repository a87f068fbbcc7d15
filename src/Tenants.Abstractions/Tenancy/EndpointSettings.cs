namespace Tenants.Abstractions.Tenancy;

/// <summary>What a tenant says about one of its endpoints: adding one, or replacing an endpoint's settings.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.endpoint-settings.v1")]
public sealed record EndpointSettings
{
    /// <summary>Endpoint id (<c>^[a-z0-9][a-z0-9-]{0,62}$</c>), global across tenants; clients name it in the connection.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>Upstream PostgreSQL host name or address.</summary>
    [Id(1)] public required string UpstreamHost { get; init; }

    /// <summary>Upstream PostgreSQL port (1-65535).</summary>
    [Id(2)] public int UpstreamPort { get; init; } = 5432;

    /// <summary>The database a session uses when the client names none; null for PostgreSQL's own default (the user name).</summary>
    [Id(3)] public string? DefaultDatabase { get; init; }

    [Id(4)] public EndpointTlsMode TlsMode { get; init; } = EndpointTlsMode.Disable;

    /// <summary>PEM of the CA that signs the upstream server's certificate (verify-full); null for the system's trust.</summary>
    [Id(5)] public string? CaCertificatePem { get; init; }

    /// <summary>Sessions the endpoint accepts at once per edge node; 0 for no limit.</summary>
    [Id(6)] public int MaxConnections { get; init; }

    /// <summary>Whether replication connections may pass.</summary>
    [Id(7)] public bool AllowReplication { get; init; }

    /// <summary>Durability per statement class; null for <see cref="EndpointDurability.Default"/>.</summary>
    /// <remarks>
    /// No initialisers here or in the records below: the grain storage's JSON leaves out default values and fills
    /// objects a constructor already made, so a stored value must read back the same whatever the defaults are.
    /// </remarks>
    [Id(8)] public EndpointDurability? Durability { get; init; }

    /// <summary>
    /// The database login the proxy uses for every session when credentials are brokered: people then sign in with a
    /// personal access token and never learn the database password. Null for passthrough (the database authenticates
    /// each client itself).
    /// </summary>
    [Id(9)] public BrokeredCredential? Broker { get; init; }
}
