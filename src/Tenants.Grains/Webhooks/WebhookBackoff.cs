using System.Globalization;
using System.Net.Http.Headers;

namespace Tenants.Grains.Webhooks;

/// <summary>When a failed batch is tried again: exponential backoff with jitter, or the receiver's Retry-After.</summary>
public static class WebhookBackoff
{
    /// <summary>
    /// The delay after the <paramref name="attempt"/>-th failed attempt (1-based): base * 2^(attempt-1), capped at
    /// <paramref name="max"/>, of which the upper half is random ("equal jitter"), so receivers recovering from an
    /// outage are not hit by every sender at once, and a delay is never below half its nominal value.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var nominal = Math.Min(max.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(nominal / 2 + nominal / 2 * Math.Clamp(random, 0, 1));
    }

    /// <summary>The delay a <c>Retry-After</c> header asks for (seconds or an HTTP date), capped at <paramref name="max"/>; null when absent.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan max)
    {
        var delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        return delay is null ? null : TimeSpan.FromTicks(Math.Clamp(delay.Value.Ticks, 0, max.Ticks));
    }

    /// <summary>Whether an HTTP status is worth trying again: 408, 429 and 5xx.</summary>
    public static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    /// <summary>Seconds for logs and messages.</summary>
    public static string Describe(TimeSpan delay) => delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
