using Microsoft.Extensions.Options;
using Tenants.Abstractions.Ledger;
using Tenants.Api.Features.Events.List;
using Tenants.Ledger;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events;

/// <summary>
/// Searches the caller's events in the search index. The index confines every query to the tenant given here (the API
/// key's), and each hit is the entry exactly as sealed, read back with the same rules as the block reader.
/// </summary>
public sealed class IndexedEventReader(ILedgerIndexReader index, IGrainFactory grains, IOptions<LedgerOptions> options)
{
    public async Task<ListEventsResponse> SearchAsync(string tenantId, ListEventsRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sort = EventSorts.Parse(request.Sort);
        var query = EventSorts.Apply(request.ToQuery() with { Before = request.Before, Limit = limit }, sort, request.Cursor);

        // The grain's status also activates the ledger, whose recovery asks the indexer to catch up.
        var status = await grains.GetGrain<ILedgerGrain>(tenantId).GetStatusAsync(cancellationToken);
        var page = await index.SearchAsync(tenantId, query, cancellationToken);
        var origin = options.Value.OriginFor(tenantId);
        var items = new List<EventItem>(page.Entries.Count);
        foreach (var entry in page.Entries)
        {
            if (EventItems.TryRead(System.Text.Encoding.UTF8.GetBytes(entry.Entry), tenantId, origin, entry.Fingerprint) is { } item)
            {
                items.Add(item);
            }
        }

        var more = page.Entries.Count == limit;
        return new ListEventsResponse
        {
            Items = items,
            Source = "index",
            IndexedSize = page.IndexedSize,
            SealedSize = status.SealedSize,
            Complete = page.IndexedSize >= status.SealedSize,
            Next = sort == LedgerIndexSort.TimeDescending && more && page.Entries[^1].LeafIndex > 0 ? page.Entries[^1].LeafIndex : null,
            Cursor = more ? EventSorts.Cursor(sort, page.Entries[^1]) : null,
        };
    }
}
