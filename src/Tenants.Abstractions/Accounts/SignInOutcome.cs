namespace Tenants.Abstractions.Accounts;

/// <summary>The answer to <see cref="IAccountGrain.SignInAsync"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.sign-in-outcome.v1")]
public sealed record SignInOutcome
{
    /// <summary>The account signed in; null when refused.</summary>
    [Id(0)] public AccountInfo? Account { get; init; }

    /// <summary>When refused because of too many failures: when sign-in works again.</summary>
    [Id(1)] public DateTimeOffset? LockedUntil { get; init; }

    public bool Succeeded => Account is not null;
}
