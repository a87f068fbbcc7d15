using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;
using Tenants.Policy.Rules;

namespace Tenants.Api.Features.Events.ValueHash;

/// <summary>
/// <c>POST /api/v1/events/value-hash</c>: the keyed hash the tenant's <c>redact</c> rules store in place of a value, so
/// a search by value still works on redacted events (pass <c>query</c> as <c>q</c>). The value comes in the body, never
/// the URL, so it stays out of access logs; the tenant's salt never leaves the platform.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<ValueHashRequest, ValueHashResponse>
{
    public override void Configure()
    {
        Post("/api/v1/events/value-hash");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "The keyed hash that redacted events carry in place of a value, and the search query that finds them.");
    }

    public override async Task HandleAsync(ValueHashRequest req, CancellationToken ct)
    {
        if (await grains.GetGrain<ITenantGrain>(User.GetTenantId()).GetEdgePolicyAsync(ct) is not { } snapshot)
        {
            ThrowError("this tenant has no account yet, so nothing of it is redacted", StatusCodes.Status404NotFound);
            return;
        }

        var hash = ValueHasher.Hash(snapshot.Salt, req.Value!);
        await Send.OkAsync(new ValueHashResponse { Hash = hash, Query = $"\"{hash}\"" }, ct);
    }
}

/// <summary>A value of sensible size.</summary>
public sealed class ValueHashValidator : Validator<ValueHashRequest>
{
    public ValueHashValidator() =>
        RuleFor(r => r.Value).NotNull().Length(1, 10_000).WithMessage("value is required: 1 to 10,000 characters");
}
