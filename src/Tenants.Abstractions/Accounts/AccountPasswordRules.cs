namespace Tenants.Abstractions.Accounts;

/// <summary>What a password must be: 12 to 1024 characters, and not the email address.</summary>
public static class AccountPasswordRules
{
    public const int MinLength = 12;

    /// <summary>An upper bound so that hashing cannot be made to take long; far above any passphrase.</summary>
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="password"/> is refused for <paramref name="email"/>, or null when it is fine.</summary>
    public static string? Check(string? password, string email)
    {
        if (password is null || password.Length < MinLength)
        {
            return $"the password must be at least {MinLength} characters";
        }

        if (password.Length > MaxLength)
        {
            return $"the password must be at most {MaxLength} characters";
        }

        return string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase)
            ? "the password must not be the email address"
            : null;
    }
}
