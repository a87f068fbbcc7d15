using FluentValidation;
using Tenants.Abstractions.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Accounts;

/// <summary>Validation rules the account endpoints share, with messages fit for the person typing.</summary>
internal static class AccountRules
{
    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(AccountEmail.IsValid).WithMessage("email must be an email address (at most 254 characters)");

    public static IRuleBuilderOptions<T, string?> ValidTenantId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(TenantIds.IsValid).WithMessage("tenantId must be 1-63 lowercase letters, digits and hyphens, starting with a letter or digit");

    public static IRuleBuilderOptions<T, string?> ValidMemberId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(TenantIds.IsValidMember).WithMessage("memberId must be 1-63 lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");

    public static IRuleBuilderOptions<T, string?> ValidRole<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(r => RoleNames.TryParse(r, out _)).WithMessage(RoleNames.Message);

    /// <summary>A member id made from an email's local part: lower case, other characters as '-', at most 63.</summary>
    public static string MemberIdFromEmail(string email)
    {
        var local = AccountEmail.Normalize(email).Split('@')[0];
        var chars = local.Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' ? c : '-').ToArray();
        var id = new string(chars).TrimStart('.', '_', '-');
        id = id.Length > 63 ? id[..63] : id;
        return id.Length == 0 ? "member" : id;
    }
}
