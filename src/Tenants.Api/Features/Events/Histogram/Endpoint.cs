using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Api.Security;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events.Histogram;

/// <summary>
/// <c>GET /api/v1/events/histogram</c>: how many of the caller's matching events fall in each time bucket, from
/// <c>from</c> (or the oldest match) to <c>to</c> (or now).
/// </summary>
public sealed class Endpoint(IServiceProvider services) : Endpoint<EventHistogramRequest, EventHistogramResponse>
{
    public override void Configure()
    {
        Get("/api/v1/events/histogram");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Counts of the caller's matching events per time bucket.");
    }

    public override async Task HandleAsync(EventHistogramRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("the histogram needs the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var tenant = User.GetTenantId();
        var query = req.ToQuery();
        var to = req.To ?? (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var from = req.From;
        if (from is null)
        {
            var range = await index.GetTimeRangeAsync(tenant, query, ct);
            from = range is null || range.First >= to ? to.AddHours(-1) : range.First;
        }

        if (from >= to)
        {
            AddError(r => r.From!, "from must be before to (or before now when to is not given)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var given = HistogramBuckets.TryParse(req.Bucket, out var bucket);
        if (!given)
        {
            bucket = HistogramBuckets.Choose(to - from.Value);
        }

        if (req.From is null)
        {
            from = HistogramBuckets.Floor(from.Value, bucket);
        }

        if (HistogramBuckets.Count(from.Value, to, bucket) > HistogramBuckets.MaxBuckets)
        {
            AddError(r => r.Bucket!, $"bucket is too small for the range: at most {HistogramBuckets.MaxBuckets} buckets");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var buckets = await index.CountByTimeAsync(tenant, query, from.Value, to, bucket, ct);
        await Send.OkAsync(new EventHistogramResponse
        {
            From = from.Value,
            To = to,
            BucketSeconds = (long)bucket.TotalSeconds,
            Buckets = [.. buckets.Select(b => new HistogramBucket { Start = b.Start, Count = b.Count })],
            Total = buckets.Sum(b => b.Count),
        }, ct);
    }
}

/// <summary>A bucket size the API understands, and the shared filter rules.</summary>
public sealed class EventHistogramValidator : Validator<EventHistogramRequest>
{
    public EventHistogramValidator()
    {
        RuleFor(r => r.Bucket).Must(b => HistogramBuckets.TryParse(b, out _)).When(r => r.Bucket is not null)
            .WithMessage("bucket must be a whole number followed by s, m, h or d (30s, 5m, 1h, 1d)");
        this.AddEventFilterRules();
    }
}
