namespace Tenants.Abstractions.Tenancy;

/// <summary>A request to issue an API key or personal access token.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-key-request.v1")]
public sealed record TenantKeyRequest
{
    /// <summary>A name people recognise (1-100 characters).</summary>
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public TenantKeyKind Kind { get; init; } = TenantKeyKind.ApiKey;

    /// <summary>Scopes such as <c>events:read</c> (lowercase letters, digits, <c>:._-</c>); at least one.</summary>
    [Id(2)] public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>When it stops working; null for never. Must be in the future.</summary>
    [Id(3)] public DateTimeOffset? Expires { get; init; }
}
