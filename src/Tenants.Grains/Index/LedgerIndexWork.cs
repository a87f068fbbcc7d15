using Tenants.Ledger.Storage;

namespace Tenants.Grains.Index;

/// <summary>One thing for the index service to do: index a sealed block, or (no block) catch the tenant up from storage.</summary>
internal readonly record struct LedgerIndexWork(string TenantId, LedgerBlock? Block);
