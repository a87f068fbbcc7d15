namespace Tenants.Api.Features.Accounts.Me;

/// <summary>Who the caller is, where, and what they may do; what the portal needs to draw itself.</summary>
public sealed class MeResponse
{
    /// <summary>The acting member; null for a key configured by the operator.</summary>
    public string? MemberId { get; init; }

    /// <summary>The member's email; null for a key configured by the operator.</summary>
    public string? Email { get; init; }

    /// <summary><c>owner</c>, <c>admin</c>, <c>auditor</c> or <c>developer</c>; null for an API key.</summary>
    public string? Role { get; init; }

    /// <summary>The tenant the caller acts in.</summary>
    public required TenantItem Tenant { get; init; }

    /// <summary>Every tenant the signed-in person belongs to (the tenant switcher); only the current one for a key.</summary>
    public required IReadOnlyList<TenantItem> Tenants { get; init; }

    /// <summary>The caller's permissions (<c>events:read</c>, ...).</summary>
    public required IReadOnlyList<string> Permissions { get; init; }

    /// <summary>How the caller authenticated: <c>session</c>, <c>api-key</c>, <c>personal-access-token</c> or <c>configured-key</c>.</summary>
    public required string Credential { get; init; }

    /// <summary>For a cookie session: the value of <c>X-CSRF-Token</c> that changes must carry. Null for keys.</summary>
    public string? CsrfToken { get; init; }
}

/// <summary>A tenant the caller belongs to.</summary>
public sealed class TenantItem
{
    public required string TenantId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>The person's member id in that tenant.</summary>
    public string? MemberId { get; init; }

    public string? Role { get; init; }
}
