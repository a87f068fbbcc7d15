using Tenants.Ledger.Storage;

namespace Tenants.Bench.LedgerGrain;

/// <summary>Passes every call to the real journal and counts appends, to show how many events each one carried.</summary>
public sealed class CountingLedgerJournal(ILedgerJournal inner) : ILedgerJournal
{
    private long _appends;

    public long Appends => Interlocked.Read(ref _appends);

    public async Task AppendAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default)
    {
        await inner.AppendAsync(tenantId, firstLeafIndex, entries, cancellationToken);
        Interlocked.Increment(ref _appends);
    }

    public IAsyncEnumerable<LedgerJournalEntry> ReadAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(tenantId, fromLeafIndex, cancellationToken);

    public Task TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default) =>
        inner.TrimAsync(tenantId, belowLeafIndex, cancellationToken);
}
