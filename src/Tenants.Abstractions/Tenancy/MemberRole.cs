namespace Tenants.Abstractions.Tenancy;

/// <summary>What a member may do in a tenant (enforced by the API; the grain keeps at least one owner).</summary>
[GenerateSerializer]
[Alias("tenants.member-role.v1")]
public enum MemberRole
{
    /// <summary>Everything, including the account itself; a tenant always has at least one.</summary>
    Owner = 0,

    /// <summary>Endpoints, members (not owners), keys and policies.</summary>
    Admin = 1,

    /// <summary>Reads the audit trail, verifies and exports the ledger.</summary>
    Auditor = 2,

    /// <summary>Connects through endpoints; manages personal access tokens.</summary>
    Developer = 3,
}
