using Tenants.Abstractions.Jobs;
using Tenants.Ledger.Verification;

namespace Tenants.Grains.Jobs;

/// <summary>
/// The live progress of a running job, written by the work (on pool threads) and read by the grain; each value is
/// read and written whole, which is all a progress report needs.
/// </summary>
internal sealed class LedgerJobProgressCounter : IProgress<LedgerVerificationProgress>
{
    private long _entriesChecked;
    private long _entriesTotal = -1;
    private int _blocksChecked;
    private int _blocksTotal = -1;

    public void Report(LedgerVerificationProgress value)
    {
        Volatile.Write(ref _blocksTotal, value.BlocksTotal);
        Volatile.Write(ref _blocksChecked, value.BlocksChecked);
        Volatile.Write(ref _entriesChecked, value.EntriesChecked);
    }

    public void SetTotals(long? entries, int? blocks)
    {
        Volatile.Write(ref _entriesTotal, entries ?? -1);
        Volatile.Write(ref _blocksTotal, blocks ?? -1);
    }

    public void SetEntriesChecked(long entries) => Volatile.Write(ref _entriesChecked, entries);

    public void SetBlocksChecked(int blocks) => Volatile.Write(ref _blocksChecked, blocks);

    public LedgerJobProgress Snapshot(bool finished)
    {
        var entriesTotal = Volatile.Read(ref _entriesTotal);
        var blocksTotal = Volatile.Read(ref _blocksTotal);
        var blocks = Volatile.Read(ref _blocksChecked);
        var entries = Volatile.Read(ref _entriesChecked);
        var percent = finished ? 100
            : blocksTotal > 0 ? (int)(100L * blocks / blocksTotal)
            : entriesTotal > 0 ? (int)(100L * entries / entriesTotal)
            : 0;
        return new LedgerJobProgress
        {
            EntriesChecked = entries,
            EntriesTotal = entriesTotal < 0 ? null : entriesTotal,
            BlocksChecked = blocks,
            BlocksTotal = blocksTotal < 0 ? null : blocksTotal,
            // A run is at 100 only once it has finished, so a client polling for 100 sees the result with it.
            Percent = finished ? 100 : Math.Clamp(percent, 0, 99),
        };
    }
}
