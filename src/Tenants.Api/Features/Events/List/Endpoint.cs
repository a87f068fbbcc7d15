using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Api.Security;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events.List;

/// <summary>
/// <c>GET /api/v1/events</c>: the caller's events, newest first, searched in the index (filters, full text, paging),
/// or read from the newest sealed blocks on a node without a search index.
/// </summary>
public sealed class Endpoint(LedgerEventReader blocks, IServiceProvider services) : Endpoint<ListEventsRequest, ListEventsResponse>
{
    private const int DefaultLimit = 50;

    public override void Configure()
    {
        Get("/api/v1/events");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Events of the caller's tenant, newest first, with filters and full-text search over SQL.");
    }

    public override async Task HandleAsync(ListEventsRequest req, CancellationToken ct)
    {
        var limit = req.Limit ?? DefaultLimit;
        if (services.GetService<ILedgerIndexReader>() is not null)
        {
            await Send.OkAsync(await services.GetRequiredService<IndexedEventReader>().SearchAsync(User.GetTenantId(), req, limit, ct), ct);
            return;
        }

        if (req.HasFilters() || req.Sort is not null || req.Cursor is not null)
        {
            AddError("filters and orders need the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var items = await blocks.ReadRecentAsync(User.GetTenantId(), limit, ct);
        await Send.OkAsync(new ListEventsResponse { Items = items, Source = "blocks" }, ct);
    }
}

/// <summary>Rejects what cannot be a sensible query with a clear message, before anything reaches the database.</summary>
public sealed class ListEventsValidator : Validator<ListEventsRequest>
{
    public ListEventsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null)
            .WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.Before).GreaterThanOrEqualTo(0).When(r => r.Before is not null).WithMessage("before must be a leaf index (0 or more)");
        RuleFor(r => r.Sort).Must(s => EventSorts.TryParse(s, out _)).When(r => r.Sort is not null)
            .WithMessage($"sort must be one of {EventSorts.Keys}");
        RuleFor(r => r.Cursor)
            .Must((r, c) => EventSorts.TryParse(r.Sort, out var sort) && EventSorts.TryParseCursor(c, sort, out _, out _))
            .When(r => r.Cursor is not null)
            .WithMessage("cursor must be the cursor of a previous page in the same sort");
        RuleFor(r => r.Before).Null().When(r => r.Sort is not (null or "-time")).WithMessage("before pages the -time order only; use cursor");
        this.AddEventFilterRules();
    }
}
