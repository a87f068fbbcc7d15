namespace Tenants.Abstractions.Tenancy;

/// <summary>One published version of a tenant's policy. The document is opaque here (issue 7 defines its content).</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-policy.v1")]
public sealed record TenantPolicy
{
    /// <summary>1 for the first version, then one more per publication.</summary>
    [Id(0)] public required int Version { get; init; }

    [Id(1)] public required string Document { get; init; }

    /// <summary>Lowercase hex SHA-256 of the document's UTF-8 bytes.</summary>
    [Id(2)] public required string DocumentSha256 { get; init; }

    /// <summary>The member who published it.</summary>
    [Id(3)] public required string Author { get; init; }

    [Id(4)] public DateTimeOffset Published { get; init; }
}
