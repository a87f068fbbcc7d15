using System.ComponentModel.DataAnnotations;

namespace Tenants.Grains.Jobs;

/// <summary>Limits of background ledger jobs (configuration section <c>Exports</c>).</summary>
public sealed class LedgerExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>
    /// The most events one export holds, each with an inclusion proof (default 10,000); when more match, the bundle
    /// holds the oldest ones and says it was truncated. Narrow the query to export the rest.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>How many finished jobs of each kind a tenant keeps listed (default 100); older ones are forgotten.</summary>
    [Range(1, 10_000)]
    public int KeptJobs { get; set; } = 100;

    /// <summary>How many times a job interrupted by a node failure is started again before it is marked failed (default 3).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How long a finished export's bundle stays downloadable (default 7 days). After that, or when its job record is
    /// forgotten (<see cref="KeptJobs"/>), the bundle blob is deleted and a download answers 410 Gone.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
