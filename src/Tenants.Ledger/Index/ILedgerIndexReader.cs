namespace Tenants.Ledger.Index;

/// <summary>
/// Searches the index of sealed entries. Every call is confined to one tenant by the store itself (in PostgreSQL by
/// row-level security), not only by the filters it builds.
/// </summary>
public interface ILedgerIndexReader
{
    /// <summary>Finds the tenant's entries matching <paramref name="query"/>, newest first.</summary>
    Task<LedgerIndexPage> SearchAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default);
}
