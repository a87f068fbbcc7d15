namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// One per tenant (keyed by tenant id, <c>^[a-z0-9][a-z0-9-]{0,62}$</c>): the account, its endpoints, members, keys and
/// policies. Every change names the member who makes it (<c>actor</c>, a current member), bumps
/// <see cref="TenantAccount.Version"/>, and is written to the tenant's ledger as a <c>tenant_changed</c> event (never
/// with a secret). Bad input throws <see cref="TenantValidationException"/> and changes nothing. Endpoint changes are
/// pushed to the global endpoint directory (<see cref="Endpoints.IEndpointGrain"/>) that edge nodes read.
/// Authorisation by role is the API's job; the grain keeps the invariants (ids, the last owner, reserved endpoint ids).
/// </summary>
[Alias("tenants.tenant-grain.v1")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the tenant with its first owner. Repeating the same creation returns the account unchanged (a retried
    /// sign-up); a different one for an existing tenant is refused.
    /// </summary>
    [Alias("CreateAsync")]
    Task<TenantAccount> CreateAsync(string displayName, TenantMember owner, CancellationToken cancellationToken = default);

    /// <summary>The account; null while the tenant has not been created.</summary>
    [Alias("GetAccountAsync")]
    Task<TenantAccount?> GetAccountAsync(CancellationToken cancellationToken = default);

    /// <summary>The tenant's endpoints, deleted ones included (marked), in the order they were added.</summary>
    [Alias("GetEndpointsAsync")]
    Task<IReadOnlyList<TenantEndpoint>> GetEndpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an endpoint (enabled). The id is global: one another tenant holds, or a deleted endpoint of this tenant,
    /// is refused. Adding the same endpoint with the same settings again returns it unchanged (a retry).
    /// </summary>
    [Alias("AddEndpointAsync")]
    Task<TenantEndpoint> AddEndpointAsync(string actor, EndpointSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Replaces the settings of the endpoint <see cref="EndpointSettings.Id"/>; new sessions use them.</summary>
    [Alias("UpdateEndpointAsync")]
    Task<TenantEndpoint> UpdateEndpointAsync(string actor, EndpointSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Enables or disables an endpoint; a disabled one refuses new sessions, saying so.</summary>
    [Alias("SetEndpointEnabledAsync")]
    Task<TenantEndpoint> SetEndpointEnabledAsync(string actor, string endpointId, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>Deletes an endpoint: it becomes unknown to clients, keeps its record (marked deleted) and its id stays reserved.</summary>
    [Alias("DeleteEndpointAsync")]
    Task<TenantEndpoint> DeleteEndpointAsync(string actor, string endpointId, CancellationToken cancellationToken = default);

    [Alias("GetMembersAsync")]
    Task<IReadOnlyList<TenantMember>> GetMembersAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a member (id and email unique in the tenant).</summary>
    [Alias("AddMemberAsync")]
    Task<TenantMember> AddMemberAsync(string actor, TenantMember member, CancellationToken cancellationToken = default);

    /// <summary>Changes a member's role; the last owner cannot be demoted.</summary>
    [Alias("ChangeMemberRoleAsync")]
    Task<TenantMember> ChangeMemberRoleAsync(string actor, string memberId, MemberRole role, CancellationToken cancellationToken = default);

    /// <summary>Removes a member; the last owner cannot be removed.</summary>
    [Alias("RemoveMemberAsync")]
    Task RemoveMemberAsync(string actor, string memberId, CancellationToken cancellationToken = default);

    /// <summary>Records of every key issued, revoked and expired ones included; never a secret.</summary>
    [Alias("GetKeysAsync")]
    Task<IReadOnlyList<TenantKey>> GetKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues an API key or personal access token. The secret (32 bytes from a CSPRNG) is returned this once and never
    /// stored: the grain keeps its SHA-256 only.
    /// </summary>
    [Alias("IssueKeyAsync")]
    Task<IssuedTenantKey> IssueKeyAsync(string actor, TenantKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key at once; revoking a revoked key changes nothing.</summary>
    [Alias("RevokeKeyAsync")]
    Task<TenantKey> RevokeKeyAsync(string actor, string keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The active key whose secret is <paramref name="secret"/> (compared by hash, in constant time); null for an unknown,
    /// revoked or expired one. The API finds the tenant from the secret's <c>tk_&lt;tenant&gt;_</c> prefix.
    /// </summary>
    [Alias("AuthenticateKeyAsync")]
    Task<TenantKey?> AuthenticateKeyAsync(string secret, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs a person in at a brokered endpoint: <paramref name="secret"/> must be an active personal access token of
    /// this tenant whose member is still in the tenant, is named by <paramref name="login"/> (member id or email, any
    /// case), and whose scopes allow <paramref name="endpointId"/> (<see cref="TenantScopes.Connect"/>). Checked in
    /// constant time like <see cref="AuthenticateKeyAsync"/>; changes nothing.
    /// </summary>
    [Alias("AuthenticatePersonAsync")]
    Task<PersonAuthentication> AuthenticatePersonAsync(string endpointId, string login, string secret, CancellationToken cancellationToken = default);

    /// <summary>Every published policy version, oldest first; the last is the one in force.</summary>
    [Alias("GetPoliciesAsync")]
    Task<IReadOnlyList<TenantPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes a new policy version (a non-empty document of at most 1 MiB).</summary>
    [Alias("PublishPolicyAsync")]
    Task<TenantPolicy> PublishPolicyAsync(string actor, string document, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the edge enforces for this tenant: the policy in force, the tenant's salt (made on first use) and the
    /// grants in force. Null when the tenant does not exist.
    /// </summary>
    [Alias("GetEdgePolicyAsync")]
    Task<EdgePolicySnapshot?> GetEdgePolicyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Files a request by member <paramref name="actor"/> for access to a live endpoint for <paramref name="minutes"/>
    /// (1-1440) once approved, with a reason (1-500 characters). A member may have at most 10 pending requests.
    /// </summary>
    [Alias("RequestAccessAsync")]
    Task<AccessGrantRecord> RequestAccessAsync(string actor, string endpointId, string reason, int minutes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Approves (the grant runs from now for its minutes) or rejects a pending request. The decider must be an owner or
    /// admin and not the requester (no self-approval, owners included); the note is optional (at most 500 characters).
    /// </summary>
    [Alias("DecideAccessAsync")]
    Task<AccessGrantRecord> DecideAccessAsync(string actor, string grantId, bool approve, string? note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Withdraws a pending request or ends an approved grant at once: the requester's own, or anyone's by an owner or
    /// admin. Revoking a revoked one changes nothing.
    /// </summary>
    [Alias("RevokeAccessAsync")]
    Task<AccessGrantRecord> RevokeAccessAsync(string actor, string grantId, CancellationToken cancellationToken = default);

    /// <summary>Access requests and grants, oldest first, with finished ones kept as history (up to a cap).</summary>
    [Alias("GetAccessGrantsAsync")]
    Task<IReadOnlyList<AccessGrantRecord>> GetAccessGrantsAsync(CancellationToken cancellationToken = default);
}
