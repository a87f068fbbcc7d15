using System.Net.Http.Headers;

namespace Tenants.Grains.Webhooks;

/// <summary>What came of one POST to a receiver.</summary>
/// <param name="StatusCode">The receiver's status; null when it did not answer (or was not contacted).</param>
/// <param name="Error">Why it failed, in words; null on 2xx.</param>
/// <param name="Duration">From resolving to the end of the answer.</param>
/// <param name="RetryAfter">The receiver's Retry-After, if any.</param>
/// <param name="Permanent">A failure that retrying cannot fix (a 4xx other than 408 and 429).</param>
public sealed record WebhookSendResult(int? StatusCode, string? Error, TimeSpan Duration, RetryConditionHeaderValue? RetryAfter, bool Permanent)
{
    /// <summary>Whether the receiver took the batch (2xx).</summary>
    public bool Delivered => Error is null;
}
