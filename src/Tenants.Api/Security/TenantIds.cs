using System.Text.RegularExpressions;

namespace Tenants.Api.Security;

/// <summary>The shapes of tenant and member ids (as the tenant grain enforces them), checked before any grain is called.</summary>
internal static partial class TenantIds
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPattern();

    public static bool IsValid(string? tenantId) => tenantId is not null && TenantPattern().IsMatch(tenantId);

    public static bool IsValidMember(string? memberId) => memberId is not null && MemberPattern().IsMatch(memberId);
}
