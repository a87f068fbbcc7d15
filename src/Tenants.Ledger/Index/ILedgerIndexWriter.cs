namespace Tenants.Ledger.Index;

/// <summary>
/// Writes the search index, which is derived from sealed blocks: the ledger is the truth, and the index can always be
/// rebuilt from it. Each tenant has a cursor, the number of leading entries indexed; writes are idempotent.
/// </summary>
public interface ILedgerIndexWriter
{
    /// <summary>How many leading entries of the tenant's ledger are indexed (0 when none).</summary>
    Task<long> GetIndexedSizeAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="rows"/>, the entries from leaf <paramref name="fromIndex"/> up to
    /// <paramref name="toSize"/> (exclusive), leaving rows already present alone, and in the same transaction moves the
    /// cursor to <paramref name="toSize"/> if the rows join on to what is indexed (<paramref name="fromIndex"/> is at or
    /// below the cursor). A cursor never moves back and never skips a gap.
    /// </summary>
    /// <returns>The cursor after the call.</returns>
    Task<long> AddAsync(string tenantId, IReadOnlyList<LedgerIndexRow> rows, long fromIndex, long toSize, CancellationToken cancellationToken = default);

    /// <summary>Removes every row and the cursor of the tenant (before a rebuild).</summary>
    Task ClearAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenants that have a cursor.</summary>
    Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sessions of the tenant with no summary indexed whose last entry is at or after <paramref name="since"/>, and
    /// which either ended before <paramref name="endedBefore"/> or, not ended, have had no entry since
    /// <paramref name="quietBefore"/>; oldest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ListUnsummarizedSessionsAsync(
        string tenantId, DateTimeOffset since, DateTimeOffset quietBefore, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default);
}
