namespace Tenants.Ledger.Index;

/// <summary>
/// Searches the index of sealed entries. Every call is confined to one tenant by the store itself (in PostgreSQL by
/// row-level security), not only by the filters it builds.
/// </summary>
public interface ILedgerIndexReader
{
    /// <summary>Finds the tenant's entries matching <paramref name="query"/>, in its order (newest first by default).</summary>
    Task<LedgerIndexPage> SearchAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every entry matching <paramref name="query"/> in its order, ignoring its limit, read in one transaction (one
    /// consistent snapshot) and streamed as it is read.
    /// </summary>
    IAsyncEnumerable<LedgerIndexEntry> StreamAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default);

    /// <summary>The entry with the event id, or at the leaf index, or <see langword="null"/> when the tenant has none.</summary>
    Task<LedgerIndexEntry?> FindAsync(string tenantId, string? eventId, long? leafIndex, CancellationToken cancellationToken = default);

    /// <summary>Counts the most frequent <paramref name="top"/> values of each field among the entries matching <paramref name="query"/>.</summary>
    Task<LedgerIndexFacets> CountFacetsAsync(
        string tenantId, LedgerIndexQuery query, IReadOnlyCollection<LedgerIndexFacetField> fields, int top, CancellationToken cancellationToken = default);

    /// <summary>The times of the oldest and newest entries matching <paramref name="query"/>, or <see langword="null"/> when none match.</summary>
    Task<LedgerIndexTimeRange?> GetTimeRangeAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts the entries matching <paramref name="query"/> per <paramref name="bucket"/> from <paramref name="from"/>
    /// up to <paramref name="to"/>, every bucket listed, empty ones with 0.
    /// </summary>
    Task<IReadOnlyList<LedgerIndexBucket>> CountByTimeAsync(
        string tenantId, LedgerIndexQuery query, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default);

    /// <summary>Finds the tenant's sessions matching <paramref name="query"/>, newest first.</summary>
    Task<LedgerIndexSessionPage> SearchSessionsAsync(string tenantId, LedgerIndexSessionQuery query, CancellationToken cancellationToken = default);
}
