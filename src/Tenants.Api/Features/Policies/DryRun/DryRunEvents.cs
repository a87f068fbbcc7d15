using System.Text;
using Tenants.Api.Features.Events;
using Tenants.Api.Features.Events.List;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Policies.DryRun;

/// <summary>Reads a tenant's statement events in a time range from the search index, newest first, page by page.</summary>
internal static class DryRunEvents
{
    private const int PageSize = 1000;

    /// <summary>Hands up to <paramref name="limit"/> events to <paramref name="add"/>; true when the range held no more.</summary>
    public static async Task<bool> ReadAsync(ILedgerIndexReader index, string tenantId, string origin, DateTimeOffset from, DateTimeOffset to,
        int limit, Action<EventItem> add, CancellationToken cancellationToken)
    {
        var read = 0;
        long? before = null;
        while (read < limit)
        {
            var size = Math.Min(PageSize, limit - read);
            var query = new LedgerIndexQuery { Kind = "statement", From = from, To = to, Before = before, Limit = size };
            var page = await index.SearchAsync(tenantId, query, cancellationToken);
            foreach (var entry in page.Entries)
            {
                if (EventItems.TryRead(Encoding.UTF8.GetBytes(entry.Entry), tenantId, origin, entry.Fingerprint) is { } item)
                {
                    add(item);
                }
            }

            read += page.Entries.Count;
            if (page.Entries.Count < size || page.Entries[^1].LeafIndex == 0)
            {
                return true;
            }

            before = page.Entries[^1].LeafIndex;
        }

        // Exactly the limit read: complete only if nothing older is left.
        var next = await index.SearchAsync(tenantId, new LedgerIndexQuery { Kind = "statement", From = from, To = to, Before = before, Limit = 1 }, cancellationToken);
        return next.Entries.Count == 0;
    }
}
