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

        if (HasFilters(req))
        {
            AddError("filters need the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var items = await blocks.ReadRecentAsync(User.GetTenantId(), limit, ct);
        await Send.OkAsync(new ListEventsResponse { Items = items, Source = "blocks" }, ct);
    }

    private static bool HasFilters(ListEventsRequest r) =>
        r.Before is not null || r.From is not null || r.To is not null || r.Endpoint is not null || r.Session is not null
        || r.Person is not null || r.User is not null || r.Database is not null || r.Client is not null || r.StatementClass is not null
        || r.SqlState is not null || r.Kind is not null || r.MinDurationMicros is not null || r.MinRows is not null
        || r.Fingerprint is not null || r.Q is not null;
}

/// <summary>Rejects what cannot be a sensible query with a clear message, before anything reaches the database.</summary>
public sealed class ListEventsValidator : Validator<ListEventsRequest>
{
    private const int MaxText = 1000;
    private const int MaxValue = 256;

    public ListEventsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null)
            .WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.Before).GreaterThanOrEqualTo(0).When(r => r.Before is not null).WithMessage("before must be a leaf index (0 or more)");
        RuleFor(r => r.To).GreaterThan(r => r.From).When(r => r.From is not null && r.To is not null).WithMessage("to must be after from");
        RuleFor(r => r.MinDurationMicros).GreaterThanOrEqualTo(0).When(r => r.MinDurationMicros is not null).WithMessage("minDurationMicros must be 0 or more");
        RuleFor(r => r.MinRows).GreaterThanOrEqualTo(0).When(r => r.MinRows is not null).WithMessage("minRows must be 0 or more");
        RuleFor(r => r.SqlState).Matches("^[0-9A-Z]{5}$").When(r => r.SqlState is not null).WithMessage("sqlstate must be five digits or capital letters");
        RuleFor(r => r.Fingerprint).Matches("^[0-9a-f]{16}$").When(r => r.Fingerprint is not null).WithMessage("fingerprint must be 16 lower-case hex digits");
        RuleFor(r => r.Q).Must(Plain(MaxText)).When(r => r.Q is not null).WithMessage($"q must be 1 to {MaxText} characters without NUL");
        foreach (var (name, value) in (ReadOnlySpan<(string, Func<ListEventsRequest, string?>)>)[
            ("endpoint", r => r.Endpoint), ("session", r => r.Session), ("person", r => r.Person), ("user", r => r.User),
            ("database", r => r.Database), ("client", r => r.Client), ("class", r => r.StatementClass), ("kind", r => r.Kind)])
        {
            RuleFor(r => value(r)).Must(Plain(MaxValue)).When(r => value(r) is not null).OverridePropertyName(name)
                .WithMessage($"{name} must be 1 to {MaxValue} characters without NUL");
        }
    }

    // PostgreSQL text cannot hold NUL, so such a value could never match; saying so beats a database error.
    private static Func<string?, bool> Plain(int max) => v => v is { Length: > 0 } s && s.Length <= max && !s.Contains('\0', StringComparison.Ordinal);
}
