namespace Tenants.Edge;

/// <summary>
/// How the node reads endpoints from the global endpoint directory (the endpoint grains) when it runs with an Orleans
/// silo or client (section <c>Edge:Directory</c>). Endpoints in <c>Edge:Endpoints</c> are found first and never cached.
/// </summary>
public sealed class EdgeDirectoryOptions
{
    /// <summary>
    /// How long an endpoint read from the directory is reused: a change (disable, delete, new upstream) reaches new
    /// sessions on this node within this time. Sessions already open keep the settings they started with.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long "no such endpoint" is reused, so a new endpoint is reachable within this time.</summary>
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a directory lookup may take; past it (or on any failure) the client gets SQLSTATE 57P03.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most endpoint ids cached at once; past it expired entries are dropped, then all.</summary>
    public int MaxCachedEndpoints { get; set; } = 10_000;
}
