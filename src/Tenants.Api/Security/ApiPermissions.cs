using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Security;

/// <summary>
/// What a caller may do. Authentication turns a member's role, or an API key's scopes, into <see cref="ClaimType"/>
/// claims; every endpoint requires one with FastEndpoints' <c>Permissions(ApiPermissions.EventsRead)</c> (the claim type
/// is set in <c>UseFastEndpoints</c>). A scope that is not a permission grants nothing here.
/// </summary>
public static class ApiPermissions
{
    public const string ClaimType = "permission";

    /// <summary>Sessions, events, search, event detail.</summary>
    public const string EventsRead = "events:read";

    /// <summary>Ledger status, proofs, verification, public keys.</summary>
    public const string LedgerRead = "ledger:read";

    /// <summary>Compliance exports (bundles, CSV, JSON Lines).</summary>
    public const string ExportsWrite = "exports:write";

    public const string EndpointsRead = "endpoints:read";

    public const string EndpointsWrite = "endpoints:write";

    public const string PolicyRead = "policy:read";

    public const string PolicyWrite = "policy:write";

    public const string MembersRead = "members:read";

    /// <summary>Add, remove and change the role of members; issue and revoke API keys.</summary>
    public const string MembersWrite = "members:write";

    public const string WebhooksWrite = "webhooks:write";

    /// <summary>Request access to an endpoint for oneself; see and withdraw or revoke one's own requests.</summary>
    public const string AccessRequest = "access:request";

    /// <summary>See every access request; approve, reject and revoke anyone's (never one's own: no self-approval).</summary>
    public const string AccessDecide = "access:decide";

    public static IReadOnlyList<string> All { get; } =
        [EventsRead, LedgerRead, ExportsWrite, EndpointsRead, EndpointsWrite, PolicyRead, PolicyWrite, MembersRead, MembersWrite, WebhooksWrite, AccessRequest, AccessDecide];

    /// <summary>
    /// Owners and admins may do everything (what only an owner may do, such as making another owner, is checked where
    /// it happens); auditors read everything and export; developers read endpoints, events, the ledger and policy. Every
    /// role may request access to an endpoint; owners and admins decide.
    /// </summary>
    public static IReadOnlyList<string> ForRole(MemberRole role) => role switch
    {
        MemberRole.Owner or MemberRole.Admin => All,
        MemberRole.Auditor => [EventsRead, LedgerRead, ExportsWrite, EndpointsRead, PolicyRead, MembersRead, AccessRequest],
        MemberRole.Developer => [EventsRead, LedgerRead, EndpointsRead, PolicyRead, AccessRequest],
        _ => [],
    };
}
