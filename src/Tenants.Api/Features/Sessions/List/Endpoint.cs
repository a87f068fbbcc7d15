using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Api.Features.Events;
using Tenants.Api.Security;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Sessions.List;

/// <summary>
/// <c>GET /api/v1/sessions</c>: the caller's sessions, newest first, from the search index's sessions (folded from the
/// indexed entries, so rebuilt with them), filtered and paged.
/// </summary>
public sealed class Endpoint(IServiceProvider services) : Endpoint<ListSessionsRequest, ListSessionsResponse>
{
    private const int DefaultLimit = 50;

    public override void Configure()
    {
        Get("/api/v1/sessions");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Sessions of the caller's tenant, newest first, with filters.");
    }

    public override async Task HandleAsync(ListSessionsRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("sessions need the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var limit = req.Limit ?? DefaultLimit;
        var page = await index.SearchSessionsAsync(User.GetTenantId(), new LedgerIndexSessionQuery
        {
            From = req.From,
            To = req.To,
            EndpointId = req.Endpoint,
            Person = req.Person,
            DatabaseUser = req.User,
            Database = req.Database,
            ClientAddress = req.Client,
            Ended = req.State switch { "open" => false, "ended" => true, _ => null },
            Login = req.Login,
            Before = req.Before,
            Limit = limit,
        }, ct);

        await Send.OkAsync(new ListSessionsResponse
        {
            Items = [.. page.Sessions.Select(s => new SessionItem
            {
                SessionId = s.SessionId,
                Endpoint = s.EndpointId,
                Person = s.Person,
                User = s.DatabaseUser,
                Database = s.Database,
                ApplicationName = s.ApplicationName,
                ClientAddress = s.ClientAddress,
                FirstEventTime = s.FirstTime,
                LastEventTime = s.LastTime,
                Login = s.Login,
                Ended = s.Ended,
                EndedTime = s.EndedTime,
                FirstLeaf = s.FirstLeaf,
                LastLeaf = s.LastLeaf,
                Entries = s.Entries,
                Statements = s.Statements,
                Errors = s.Errors,
                Rows = s.Rows,
                Href = $"/api/v1/sessions/{Uri.EscapeDataString(s.SessionId)}",
            })],
            IndexedSize = page.IndexedSize,
            Next = page.Sessions.Count == limit && page.Sessions[^1].FirstLeaf > 0 ? page.Sessions[^1].FirstLeaf : null,
        }, ct);
    }
}

/// <summary>Rejects what cannot be a sensible query with a clear message, before anything reaches the database.</summary>
public sealed class ListSessionsValidator : Validator<ListSessionsRequest>
{
    private const int MaxValue = 256;

    public ListSessionsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null).WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.Before).GreaterThanOrEqualTo(0).When(r => r.Before is not null).WithMessage("before must be a leaf index (0 or more)");
        RuleFor(r => r.To).GreaterThan(r => r.From).When(r => r.From is not null && r.To is not null).WithMessage("to must be after from");
        RuleFor(r => r.State).Must(s => s is "open" or "ended").When(r => r.State is not null).WithMessage("state must be open or ended");
        RuleFor(r => r.Login).Must(s => s is "succeeded" or "failed" or "refused").When(r => r.Login is not null)
            .WithMessage("login must be succeeded, failed or refused");
        foreach (var (name, value) in (ReadOnlySpan<(string, Func<ListSessionsRequest, string?>)>)[
            ("endpoint", r => r.Endpoint), ("person", r => r.Person), ("user", r => r.User), ("database", r => r.Database), ("client", r => r.Client)])
        {
            RuleFor(r => value(r)).Must(EventFilterRules.Plain(MaxValue)).When(r => value(r) is not null).OverridePropertyName(name)
                .WithMessage($"{name} must be 1 to {MaxValue} characters without NUL");
        }
    }
}
