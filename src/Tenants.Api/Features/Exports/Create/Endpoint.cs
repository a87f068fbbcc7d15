using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Events;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Exports.Create;

/// <summary>
/// <c>POST /api/v1/exports</c>: starts a compliance export of the caller's events matching the filters, in the
/// background, and answers 202 with the job and its <c>Location</c>.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<CreateExportRequest, JobItem>
{
    public override void Configure()
    {
        Post("/api/v1/exports");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s =>
        {
            s.Summary = "Start a compliance export (events, blocks, checkpoints, proofs, keys, manifest, README) in the background.";
            s.Responses[StatusCodes.Status202Accepted] = "The job, queued; poll its Location.";
        });
    }

    public override async Task HandleAsync(CreateExportRequest req, CancellationToken ct)
    {
        var query = new LedgerExportQuery
        {
            From = req.From,
            To = req.To,
            EndpointId = req.Endpoint,
            SessionId = req.Session,
            Person = req.Person,
            DatabaseUser = req.User,
            Database = req.Database,
            ClientAddress = req.Client,
            StatementClass = req.StatementClass,
            SqlState = req.SqlState,
            Kind = req.Kind,
            MinDurationMicros = req.MinDurationMicros,
            MinRows = req.MinRows,
            Fingerprint = req.Fingerprint,
            Text = req.Q,
        };
        var job = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).StartExportAsync(query, JobRequester.Of(User), ct);
        HttpContext.Response.Headers.Location = $"/api/v1/exports/{job.Id}";
        await Send.ResponseAsync(JobItem.From(job), StatusCodes.Status202Accepted, ct);
    }
}

/// <summary>The same rules as the event search's filters (the limits and text check are <see cref="EventFilterRules"/>'s).</summary>
public sealed class CreateExportValidator : Validator<CreateExportRequest>
{
    private const int MaxText = EventFilterRules.MaxText;
    private const int MaxValue = EventFilterRules.MaxValue;

    public CreateExportValidator()
    {
        RuleFor(r => r.To).GreaterThan(r => r.From).When(r => r.From is not null && r.To is not null).WithMessage("to must be after from");
        RuleFor(r => r.MinDurationMicros).GreaterThanOrEqualTo(0).When(r => r.MinDurationMicros is not null).WithMessage("minDurationMicros must be 0 or more");
        RuleFor(r => r.MinRows).GreaterThanOrEqualTo(0).When(r => r.MinRows is not null).WithMessage("minRows must be 0 or more");
        RuleFor(r => r.SqlState).Matches("^[0-9A-Z]{5}$").When(r => r.SqlState is not null).WithMessage("sqlstate must be five digits or capital letters");
        RuleFor(r => r.Fingerprint).Matches("^[0-9a-f]{16}$").When(r => r.Fingerprint is not null).WithMessage("fingerprint must be 16 lower-case hex digits");
        RuleFor(r => r.Q).Must(Plain(MaxText)).When(r => r.Q is not null).WithMessage($"q must be 1 to {MaxText} characters without NUL");
        foreach (var (name, value) in (ReadOnlySpan<(string, Func<CreateExportRequest, string?>)>)[
            ("endpoint", r => r.Endpoint), ("session", r => r.Session), ("person", r => r.Person), ("user", r => r.User),
            ("database", r => r.Database), ("client", r => r.Client), ("class", r => r.StatementClass), ("kind", r => r.Kind)])
        {
            RuleFor(r => value(r)).Must(Plain(MaxValue)).When(r => value(r) is not null).OverridePropertyName(name)
                .WithMessage($"{name} must be 1 to {MaxValue} characters without NUL");
        }
    }

    private static Func<string?, bool> Plain(int max) => EventFilterRules.Plain(max);
}
