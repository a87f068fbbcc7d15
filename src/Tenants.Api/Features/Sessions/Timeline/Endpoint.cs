using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Api.Features.Events;
using Tenants.Api.Features.Events.List;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Sessions.Timeline;

/// <summary>
/// <c>GET /api/v1/sessions/{sessionId}/timeline</c>: the caller's session's events in leaf order, from the search index
/// (the events search with the session filter, oldest first, paged with <c>after</c>). A first page with nothing is 404:
/// the session is unknown, another tenant's, or not indexed yet.
/// </summary>
public sealed class Endpoint(IServiceProvider services, IOptions<LedgerOptions> options) : Endpoint<SessionTimelineRequest, SessionTimelineResponse>
{
    private const int DefaultLimit = 100;

    public override void Configure()
    {
        Get("/api/v1/sessions/{sessionId}/timeline");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "The events of one session of the caller's tenant, in ledger order.");
    }

    public override async Task HandleAsync(SessionTimelineRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("the timeline needs the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var tenant = User.GetTenantId();
        var limit = req.Limit ?? DefaultLimit;
        var page = await index.SearchAsync(
            tenant, new LedgerIndexQuery { SessionId = req.SessionId, After = req.After, OldestFirst = true, Limit = limit }, ct);
        if (req.After is null && page.Entries.Count == 0)
        {
            // The index is keyed by tenant: another tenant's session id, like an unknown one, has no events here.
            ThrowError($"no events of session '{req.SessionId}' in this tenant's search index", StatusCodes.Status404NotFound);
            return;
        }

        var origin = options.Value.OriginFor(tenant);
        var items = new List<EventItem>(page.Entries.Count);
        foreach (var entry in page.Entries)
        {
            if (EventItems.TryRead(System.Text.Encoding.UTF8.GetBytes(entry.Entry), tenant, origin, entry.Fingerprint) is { } item)
            {
                items.Add(item);
            }
        }

        await Send.OkAsync(new SessionTimelineResponse
        {
            SessionId = req.SessionId,
            Items = items,
            IndexedSize = page.IndexedSize,
            Next = page.Entries.Count == limit ? page.Entries[^1].LeafIndex : null,
        }, ct);
    }
}

/// <summary>A session id as the edge gives them, a sane page size and cursor.</summary>
public sealed class SessionTimelineValidator : Validator<SessionTimelineRequest>
{
    public SessionTimelineValidator()
    {
        RuleFor(r => r.SessionId).ValidSessionId();
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null).WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.After).GreaterThanOrEqualTo(0).When(r => r.After is not null).WithMessage("after must be a leaf index (0 or more)");
    }
}
