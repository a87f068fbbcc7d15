namespace Tenants.Api.Features.Events.Histogram;

/// <summary>A time histogram of the events matching the filters.</summary>
public sealed class EventHistogramRequest : EventFilterRequest
{
    /// <summary>
    /// The bucket size: a whole number of <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (<c>30s</c>, <c>5m</c>, <c>1h</c>).
    /// Default: chosen from the range for about 50 to 100 buckets.
    /// </summary>
    public string? Bucket { get; set; }
}

/// <summary>Counts per bucket from <see cref="From"/> to <see cref="To"/>, every bucket listed.</summary>
public sealed class EventHistogramResponse
{
    /// <summary>Start of the first bucket: <c>from</c>, or the oldest matching event's time rounded down to the bucket size.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the range: <c>to</c>, or now.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The bucket size in seconds.</summary>
    public required long BucketSeconds { get; init; }

    public required IReadOnlyList<HistogramBucket> Buckets { get; init; }

    /// <summary>The sum of the counts: the matching events in the range.</summary>
    public required long Total { get; init; }
}

/// <summary>Events at or after <see cref="Start"/> and before the next bucket.</summary>
public sealed class HistogramBucket
{
    public required DateTimeOffset Start { get; init; }

    public required long Count { get; init; }
}
