namespace Tenants.Grains.Sessions;

/// <summary>Session grains: when a session that never said it ended is summed up.</summary>
public sealed class SessionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sessions";

    /// <summary>
    /// A session with no new sealed entry for this long, and no <c>session_ended</c>, is taken as ended (its edge
    /// node died) and summed up. A session that is still open but quiet that long gets its summary too; its later
    /// entries are counted by the grain but covered by no summary.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait before trying again to append a summary the ledger did not accept.</summary>
    public TimeSpan SummaryRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
