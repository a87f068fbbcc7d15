using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Index;

/// <summary>
/// Hands sealed blocks from ledger grains to the index service without ever making a grain wait: a bounded queue of
/// blocks, and past its capacity only the tenant's name (its blocks are then read back from storage).
/// </summary>
public sealed class LedgerIndexQueue
{
    private readonly Channel<LedgerIndexWork> _work;
    private readonly ConcurrentDictionary<string, byte> _overflow = new(StringComparer.Ordinal);

    /// <summary>Creates a queue of the configured capacity.</summary>
    public LedgerIndexQueue(IOptions<LedgerIndexOptions> options)
    {
        _work = Channel.CreateBounded<LedgerIndexWork>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    internal ChannelReader<LedgerIndexWork> Reader => _work.Reader;

    /// <summary>A block of the tenant's ledger is durable in storage and may be indexed.</summary>
    public void BlockSealed(string tenantId, LedgerBlock block)
    {
        if (!_work.Writer.TryWrite(new LedgerIndexWork(tenantId, block)))
        {
            RequestCatchUp(tenantId);
        }
    }

    /// <summary>The tenant may have blocks the index does not hold (its ledger was recovered, or indexing failed).</summary>
    public void RequestCatchUp(string tenantId)
    {
        if (!_work.Writer.TryWrite(new LedgerIndexWork(tenantId, Block: null)))
        {
            _overflow.TryAdd(tenantId, 0);
        }
    }

    /// <summary>Takes the tenants that could not be queued, for a catch-up each.</summary>
    internal IReadOnlyList<string> TakeOverflow()
    {
        var tenants = new List<string>();
        foreach (var tenant in _overflow.Keys)
        {
            if (_overflow.TryRemove(tenant, out _))
            {
                tenants.Add(tenant);
            }
        }

        return tenants;
    }
}
