namespace Tenants.Edge.Proxy;

/// <summary>What every event of a session carries.</summary>
internal sealed record SessionTags
{
    public required string SessionId { get; init; }

    public required string TenantId { get; init; }

    public required string EndpointId { get; init; }

    public required string ProxyNode { get; init; }

    public string? ClientAddress { get; init; }

    public string? DatabaseUser { get; init; }

    public string? Database { get; init; }

    public string? ApplicationName { get; init; }

    public string? TlsProtocol { get; init; }

    public string? TlsCipher { get; init; }

    public string? ServerName { get; init; }

    /// <summary>The member signed in with a personal access token (brokered endpoints); null for passthrough.</summary>
    public string? Person { get; init; }

    /// <summary>The signed-in person's role in the tenant (owner, admin, auditor, developer), for policy scopes; not recorded in events.</summary>
    public string? PersonRole { get; init; }
}
