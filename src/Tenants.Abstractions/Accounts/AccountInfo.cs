namespace Tenants.Abstractions.Accounts;

/// <summary>An account as the API sees it: never the password hash.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.account-info.v1")]
public sealed record AccountInfo
{
    /// <summary>The normalised email (the grain's key).</summary>
    [Id(0)] public required string Email { get; init; }

    /// <summary>The tenants the person belongs to, in the order they joined.</summary>
    [Id(1)] public required IReadOnlyList<AccountMembership> Memberships { get; init; }

    [Id(2)] public DateTimeOffset Created { get; init; }
}
