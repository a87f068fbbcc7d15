using Microsoft.Extensions.DependencyInjection;
using Tenants.Grains.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Ledger;

public sealed partial class LedgerGrain
{
    // Resolved, not injected: a node without a search index has no queue, and the grain must not care.
    private LedgerIndexQueue? _indexQueue;
    private bool _indexQueueResolved;

    private LedgerIndexQueue? IndexQueue
    {
        get
        {
            if (!_indexQueueResolved)
            {
                _indexQueue = ServiceProvider.GetService<LedgerIndexQueue>();
                _indexQueueResolved = true;
            }

            return _indexQueue;
        }
    }

    /// <summary>The block's blob is written: hand it to the indexer, which never makes sealing wait or fail.</summary>
    private void OnBlockSealed(LedgerBlock block) => IndexQueue?.BlockSealed(TenantId, block);

    /// <summary>Blocks sealed by an earlier activation may not be indexed (a crash between the two).</summary>
    private void OnLedgerRecovered() => IndexQueue?.RequestCatchUp(TenantId);
}
