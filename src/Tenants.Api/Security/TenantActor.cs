using System.Security.Claims;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Security;

/// <summary>
/// Who a change is made by, as the tenant grain needs it (a current member, recorded as the author in the ledger).
/// A member signed in acts as themselves. A key seeded by configuration stands for the operator, who is no member: its
/// changes are made in the name of the tenant's first owner, the member who holds the account (docs/architecture.md).
/// </summary>
internal static class TenantActor
{
    /// <summary>The acting member; answers 409 problem details when the tenant has no account (no member to act as).</summary>
    public static async Task<string> ResolveAsync(ClaimsPrincipal user, ITenantGrain tenant, CancellationToken cancellationToken)
    {
        if (user.GetMemberId() is { } member)
        {
            return member;
        }

        if (await tenant.GetAccountAsync(cancellationToken) is null)
        {
            ValidationContext.Instance.ThrowError(
                $"tenant '{user.GetTenantId()}' has no account yet (only a configured API key): sign up the tenant and its owner first",
                StatusCodes.Status409Conflict);
        }

        var members = await tenant.GetMembersAsync(cancellationToken);
        return members.FirstOrDefault(m => m.Role == MemberRole.Owner)?.Id
            ?? throw new InvalidOperationException($"tenant '{user.GetTenantId()}' has an account but no owner");
    }
}
