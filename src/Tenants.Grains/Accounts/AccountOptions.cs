namespace Tenants.Grains.Accounts;

/// <summary>Sign-in lockout and invitation lifetime (section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Failed sign-ins in a row that lock an account (default 5).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in (default 15 minutes).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
