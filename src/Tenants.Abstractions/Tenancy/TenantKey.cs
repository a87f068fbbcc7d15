namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// The record of an issued key: never its secret, only the SHA-256 of it, so whoever reads the record (or the grain
/// state) cannot use the key.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-key.v1")]
public sealed record TenantKey
{
    /// <summary>Key id (ULID); also part of the secret, so a presented secret names its record.</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Name { get; init; }

    [Id(2)] public required TenantKeyKind Kind { get; init; }

    [Id(3)] public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Lowercase hex SHA-256 of the secret's UTF-8 bytes.</summary>
    [Id(4)] public required string SecretSha256 { get; init; }

    /// <summary>The member who issued it (and, for a personal access token, whose it is).</summary>
    [Id(5)] public required string IssuedBy { get; init; }

    [Id(6)] public DateTimeOffset Created { get; init; }

    [Id(7)] public DateTimeOffset? Expires { get; init; }

    /// <summary>When it was revoked; null while it is not.</summary>
    [Id(8)] public DateTimeOffset? Revoked { get; init; }

    /// <summary>Neither revoked nor expired at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Revoked is null && (Expires is null || Expires > now);
}
