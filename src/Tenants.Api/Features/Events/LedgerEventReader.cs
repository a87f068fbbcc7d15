using Microsoft.Extensions.Options;
using Tenants.Api.Features.Events.List;
using Tenants.Ledger;
using Tenants.Ledger.Storage;

namespace Tenants.Api.Features.Events;

/// <summary>
/// Reads a tenant's recent events straight from its sealed ledger blocks, newest block first. Only entries whose
/// header names the caller's tenant and ledger origin are returned.
/// </summary>
public sealed class LedgerEventReader(ILedgerReader store, IOptions<LedgerOptions> options)
{
    public async Task<IReadOnlyList<EventItem>> ReadRecentAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        var blocks = new List<LedgerBlockName>();
        await foreach (var name in store.ListBlocksAsync(tenantId, cancellationToken))
        {
            blocks.Add(name);
        }

        var origin = options.Value.OriginFor(tenantId);
        var items = new List<EventItem>(limit);
        for (var b = blocks.Count - 1; b >= 0 && items.Count < limit; b--)
        {
            var block = await store.ReadBlockAsync(tenantId, blocks[b], cancellationToken);
            for (var i = block.Entries.Count - 1; i >= 0 && items.Count < limit; i--)
            {
                if (EventItems.TryRead(block.Entries[i], tenantId, origin) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return items;
    }
}
