using System.Globalization;

namespace Tenants.Api.Features.Events.Histogram;

/// <summary>Bucket sizes: parsing <c>30s</c>/<c>5m</c>/<c>1h</c>/<c>1d</c>, and choosing a round one for a range.</summary>
internal static class HistogramBuckets
{
    public const int MaxBuckets = 1000;
    private const int TargetBuckets = 100;

    private static readonly TimeSpan[] _round =
    [
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 6, 12 }.Select(h => TimeSpan.FromHours(h)),
        .. new[] { 1, 2, 7, 14, 30 }.Select(d => TimeSpan.FromDays(d)),
    ];

    public static bool TryParse(string? text, out TimeSpan bucket)
    {
        bucket = default;
        if (text is not { Length: >= 2 and <= 8 }
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n < 1)
        {
            return false;
        }

        bucket = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(Math.Min(n, 36_500)),
            _ => default,
        };
        return bucket > TimeSpan.Zero;
    }

    /// <summary>The smallest round size that covers <paramref name="range"/> in at most 100 buckets.</summary>
    public static TimeSpan Choose(TimeSpan range)
    {
        foreach (var size in _round)
        {
            if (range / size <= TargetBuckets)
            {
                return size;
            }
        }

        return TimeSpan.FromDays(Math.Ceiling(range.TotalDays / TargetBuckets));
    }

    public static long Count(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket) => (long)Math.Ceiling((to - from) / bucket);

    /// <summary><paramref name="time"/> rounded down to a multiple of <paramref name="bucket"/> since the Unix epoch.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan bucket)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (((ticks % bucket.Ticks) + bucket.Ticks) % bucket.Ticks));
    }
}
