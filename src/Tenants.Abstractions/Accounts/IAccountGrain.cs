namespace Tenants.Abstractions.Accounts;

/// <summary>
/// One per person (keyed by <see cref="AccountEmail.Normalize"/> of the email): the password hash (Argon2id, never
/// leaving the grain), the tenants the person is a member of, and the failed sign-in count behind the lockout. The
/// tenant grain stays the truth about membership; the account's list is what sign-in and the tenant switcher start from.
/// </summary>
[Alias("tenants.account-grain.v1")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the account with its password and first membership; false (and nothing changed) when the account
    /// exists. A password breaking <see cref="AccountPasswordRules"/> throws <see cref="Tenancy.TenantValidationException"/>.
    /// </summary>
    [Alias("CreateAsync")]
    Task<bool> CreateAsync(string password, AccountMembership membership, CancellationToken cancellationToken = default);

    /// <summary>The account; null while it does not exist.</summary>
    [Alias("GetAsync")]
    Task<AccountInfo?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the password. Failures are counted (for unknown emails too, in memory, so that a lockout says nothing
    /// about whether an account exists); too many lock the account for a while, during which even the right password is
    /// refused. A success resets the count.
    /// </summary>
    [Alias("SignInAsync")]
    Task<SignInOutcome> SignInAsync(string password, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) the person's member id in a tenant; the account must exist.</summary>
    [Alias("AddMembershipAsync")]
    Task<AccountInfo> AddMembershipAsync(AccountMembership membership, CancellationToken cancellationToken = default);

    /// <summary>Forgets the person's membership of a tenant; nothing happens when there is none.</summary>
    [Alias("RemoveMembershipAsync")]
    Task RemoveMembershipAsync(string tenantId, CancellationToken cancellationToken = default);
}
