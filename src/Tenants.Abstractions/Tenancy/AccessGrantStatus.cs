namespace Tenants.Abstractions.Tenancy;

/// <summary>Where an access request stands. Stored values are never renumbered.</summary>
[GenerateSerializer]
[Alias("tenants.access-grant-status.v1")]
public enum AccessGrantStatus
{
    /// <summary>Requested, waiting for an owner or admin other than the requester.</summary>
    Pending = 0,

    /// <summary>Approved; in force until <see cref="AccessGrantRecord.ExpiresAt"/>.</summary>
    Approved = 1,

    Rejected = 2,

    /// <summary>Withdrawn while pending, or ended early while approved.</summary>
    Revoked = 3,

    /// <summary>Its time ran out (and the expiry is in the ledger).</summary>
    Expired = 4,
}
