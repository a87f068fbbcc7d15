using System.ComponentModel.DataAnnotations;

namespace Tenants.Grains.Index;

/// <summary>How the search index follows the ledgers (section <c>Index</c>).</summary>
public sealed class LedgerIndexOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Index";

    /// <summary>How often every tenant with a cursor is checked against its blocks, to catch up anything missed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait before trying a tenant again after indexing failed (database or storage unavailable).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping node keeps indexing the blocks its grains sealed on the way down.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sealed blocks handed to the indexer in memory; beyond this the indexer reads them back from storage.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>
    /// How long the indexer lets sealed blocks gather before it indexes them: the blocks of one tenant that arrived
    /// meanwhile share one index transaction and one state write per session. Adds at most this much to the index's lag.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most entries one index transaction holds (blocks are never split, so one block may exceed it).</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchEntries { get; set; } = 4096;
}
