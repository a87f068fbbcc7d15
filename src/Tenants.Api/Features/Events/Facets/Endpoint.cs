using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Api.Security;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events.Facets;

/// <summary><c>GET /api/v1/events/facets</c>: the most frequent values of some fields among the caller's matching events.</summary>
public sealed class Endpoint(IServiceProvider services) : Endpoint<EventFacetsRequest, EventFacetsResponse>
{
    private const int DefaultTop = 10;

    public override void Configure()
    {
        Get("/api/v1/events/facets");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Facet counts (kind, class, endpoint, user, person, sqlstate, tag) over the caller's matching events.");
    }

    public override async Task HandleAsync(EventFacetsRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("facets need the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var fields = FacetFields.Parse(req.Fields)!;
        var tenant = User.GetTenantId();
        var facets = await index.CountFacetsAsync(tenant, req.ToQuery(), fields, req.Top ?? DefaultTop, ct);
        var indexed = await index.SearchAsync(tenant, new LedgerIndexQuery { Limit = 1 }, ct);
        await Send.OkAsync(new EventFacetsResponse
        {
            Total = facets.Total,
            Facets = fields.ToDictionary(
                FacetFields.Name,
                f => (IReadOnlyList<FacetValue>)[.. facets.Fields[f].Select(v => new FacetValue { Value = v.Value, Count = v.Count })]),
            IndexedSize = indexed.IndexedSize,
        }, ct);
    }
}

/// <summary>Known fields only, a sane number of values, and the shared filter rules.</summary>
public sealed class EventFacetsValidator : Validator<EventFacetsRequest>
{
    public EventFacetsValidator()
    {
        RuleFor(r => r.Fields).Must(f => FacetFields.Parse(f) is not null).When(r => r.Fields is not null)
            .WithMessage($"fields must be a comma-separated list of {string.Join(", ", FacetFields.Names)}");
        RuleFor(r => r.Top).InclusiveBetween(1, 100).When(r => r.Top is not null).WithMessage("top must be between 1 and 100");
        this.AddEventFilterRules();
    }
}
