namespace Tenants.Abstractions.Accounts;

/// <summary>How an email becomes an account key: trimmed and lower-cased (invariant), so that case never splits a person.</summary>
public static class AccountEmail
{
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="email"/> looks like an address: one '@' with text on both sides, no spaces, at most 254 characters.</summary>
    public static bool IsValid(string? email)
    {
        if (email is null || email.Length is 0 or > 254)
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
            && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
