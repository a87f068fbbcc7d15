namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// What the edge needs to enforce a tenant's policy, in one answer: the version in force, the tenant's salt for keyed
/// hashes (masks and redaction) and the grants in force. The edge caches it and asks again every few seconds.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.edge-policy-snapshot.v1")]
public sealed record EdgePolicySnapshot
{
    /// <summary>The tenant's change counter when the snapshot was taken.</summary>
    [Id(0)] public required long TenantVersion { get; init; }

    /// <summary>The policy in force, or null when the tenant has published none.</summary>
    [Id(1)] public TenantPolicy? Policy { get; init; }

    /// <summary>32 random bytes, the tenant's key for <c>hmac:</c> values. Secret: never shown to members.</summary>
    [Id(2)] public required byte[] Salt { get; init; }

    /// <summary>Approved grants that had not expired when the snapshot was taken.</summary>
    [Id(3)] public IReadOnlyList<AccessGrant> Grants { get; init; } = [];
}
