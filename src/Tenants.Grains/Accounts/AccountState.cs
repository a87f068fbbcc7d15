using Tenants.Abstractions.Accounts;

namespace Tenants.Grains.Accounts;

/// <summary>What an account grain persists. No initialisers but empty lists (see docs/architecture.md).</summary>
[GenerateSerializer]
[Alias("tenants.account-state.v1")]
public sealed class AccountState
{
    [Id(0)] public bool Created { get; set; }

    /// <summary>Argon2id in the PHC string format (<see cref="PasswordHash"/>).</summary>
    [Id(1)] public string? PasswordHash { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public List<AccountMembership> Memberships { get; set; } = [];

    /// <summary>Failed sign-ins since the last success or lockout.</summary>
    [Id(4)] public int FailedSignIns { get; set; }

    [Id(5)] public DateTimeOffset? LockedUntil { get; set; }
}
