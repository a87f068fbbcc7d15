using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.Accounts;

/// <summary>Roles as the API spells them: <c>owner</c>, <c>admin</c>, <c>auditor</c>, <c>developer</c>.</summary>
internal static class RoleNames
{
    public const string Message = "role must be one of owner, admin, auditor, developer";

    public static string Name(MemberRole role) => role.ToString().ToLowerInvariant();

    /// <summary>A role the validator has accepted already.</summary>
    public static MemberRole Parse(string? text) => TryParse(text, out var role) ? role : throw new ArgumentException(Message, nameof(text));

    public static bool TryParse(string? text, out MemberRole role)
    {
        role = default;
        return text is { Length: > 0 } && char.IsLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);
    }
}
