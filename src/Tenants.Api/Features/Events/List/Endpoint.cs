using FastEndpoints;
using FluentValidation;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Events.List;

/// <summary><c>GET /api/v1/events</c>: the caller's most recent events, read from its sealed ledger blocks.</summary>
public sealed class Endpoint(LedgerEventReader reader) : Endpoint<ListEventsRequest, ListEventsResponse>
{
    private const int DefaultLimit = 50;

    public override void Configure()
    {
        Get("/api/v1/events");
        Summary(s => s.Summary = "Recent events of the caller's tenant, newest first.");
    }

    public override async Task HandleAsync(ListEventsRequest req, CancellationToken ct)
    {
        var items = await reader.ReadRecentAsync(User.GetTenantId(), req.Limit ?? DefaultLimit, ct);
        await Send.OkAsync(new ListEventsResponse { Items = items }, ct);
    }
}

/// <summary>Rejects limits outside 1..1000 with a clear message.</summary>
public sealed class ListEventsValidator : Validator<ListEventsRequest>
{
    public ListEventsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null)
            .WithMessage("limit must be between 1 and 1000");
    }
}
