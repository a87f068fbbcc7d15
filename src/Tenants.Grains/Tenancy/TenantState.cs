using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

/// <summary>
/// What a tenant grain persists: the account, endpoints (deleted ones kept), members, key records (hashes, never
/// secrets) and every policy version; plus the ledger events and directory pushes a change still owes (written with
/// the change, cleared once delivered), so a failure between the two is retried, not lost.
/// </summary>
[GenerateSerializer]
[Alias("tenants.tenant-state.v1")]
public sealed class TenantState
{
    [Id(0)] public bool Created { get; set; }

    [Id(1)] public string DisplayName { get; set; } = string.Empty;

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public long Version { get; set; }

    [Id(4)] public List<TenantEndpoint> Endpoints { get; set; } = [];

    [Id(5)] public List<TenantMember> Members { get; set; } = [];

    [Id(6)] public List<TenantKey> Keys { get; set; } = [];

    [Id(7)] public List<TenantPolicy> Policies { get; set; } = [];

    /// <summary><c>tenant_changed</c> events not yet acknowledged by the tenant's ledger (idempotent by event id).</summary>
    [Id(8)] public List<AuditEvent> PendingAudit { get; set; } = [];

    /// <summary>Endpoint ids whose current record the directory has not acknowledged yet.</summary>
    [Id(9)] public List<string> PendingPublish { get; set; } = [];

    /// <summary>The tenant's key for keyed hashes of masked and redacted values (32 bytes); made on first use.</summary>
    [Id(10)] public byte[]? PolicySalt { get; set; }

    /// <summary>Access requests and grants, oldest first; finished ones beyond a cap are pruned (TenantGrain.AccessGrants.cs).</summary>
    [Id(11)] public List<AccessGrantRecord> AccessGrants { get; set; } = [];
}
