namespace Tenants.Policy.Rules;

/// <summary>Who is running statements, and where: the session attributes that scope a rule.</summary>
/// <param name="EndpointId">The endpoint the session came through.</param>
/// <param name="DatabaseUser">The database role the session runs as.</param>
/// <param name="Person">The platform member (brokered login), or null for a passthrough login.</param>
/// <param name="PersonRole">The member's role in the tenant (owner, admin, auditor, developer), or null.</param>
public sealed record PolicySubject(string EndpointId, string DatabaseUser, string? Person = null, string? PersonRole = null);
