using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.Keys;

/// <summary>The record of an issued key; never its secret.</summary>
public sealed class KeyItem
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>apiKey</c> or <c>personalAccessToken</c>.</summary>
    public required string Kind { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The member who issued it (and, for a personal access token, whose it is).</summary>
    public required string IssuedBy { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public DateTimeOffset? Revoked { get; init; }

    /// <summary>Neither revoked nor expired.</summary>
    public bool Active { get; init; }

    internal const string ApiKey = "apiKey";

    internal const string PersonalAccessToken = "personalAccessToken";

    internal static KeyItem From(TenantKey k, DateTimeOffset now) => new()
    {
        Id = k.Id,
        Name = k.Name,
        Kind = k.Kind == TenantKeyKind.PersonalAccessToken ? PersonalAccessToken : ApiKey,
        Scopes = k.Scopes,
        IssuedBy = k.IssuedBy,
        Created = k.Created,
        Expires = k.Expires,
        Revoked = k.Revoked,
        Active = k.IsActive(now),
    };
}
