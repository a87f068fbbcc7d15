using System.Security.Claims;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests;

/// <summary>What the access request endpoints share: who may see a request, and the grain's refusals as HTTP statuses.</summary>
internal static class AccessRequests
{
    public const string IdMessage = "id must be an access request id: 26 letters and digits (a ULID)";

    public static bool IsId(string? id) => id is { Length: 26 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// With access:decide every request of the tenant; otherwise the calling person's own (none for an API key, which
    /// names the member who issued it but acts for no person).
    /// </summary>
    public static bool Visible(ClaimsPrincipal user, AccessGrantRecord grant) =>
        user.HasPermission(ApiPermissions.AccessDecide) || (user.GetRole() is not null && user.GetMemberId() is { } me && grant.MemberId == me);

    /// <summary>The request if the caller may see it; else null (an id of another tenant, or another member's, is not there for them).</summary>
    public static async Task<AccessGrantRecord?> FindAsync(ITenantGrain tenant, ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        if (await tenant.GetAccountAsync(cancellationToken) is null)
        {
            return null;
        }

        var grant = (await tenant.GetAccessGrantsAsync(cancellationToken)).FirstOrDefault(g => g.Id == id);
        return grant is not null && Visible(user, grant) ? grant : null;
    }

    public static string NotFound(string id) => $"this tenant has no access request '{id}' visible to you";
}
