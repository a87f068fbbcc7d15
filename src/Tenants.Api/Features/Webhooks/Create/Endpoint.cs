using System.Net.Sockets;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Create;

/// <summary>
/// <c>POST /api/v1/webhooks</c>: adds a webhook that streams the tenant's sealed events from now on, after checking
/// that its URL resolves only to addresses webhooks may reach. The signing secret is in this answer and never again.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, IConfiguration configuration) : Endpoint<CreateWebhookRequest, CreateWebhookResponse>
{
    public override void Configure()
    {
        Post("/api/v1/webhooks");
        Permissions(ApiPermissions.WebhooksWrite);
        Summary(s =>
        {
            s.Summary = "Add a webhook streaming signed batches of sealed events; the secret is returned once.";
            s.Responses[StatusCodes.Status201Created] = "The webhook and its signing secret.";
        });
    }

    public override async Task HandleAsync(CreateWebhookRequest req, CancellationToken ct)
    {
        var allowPrivate = configuration.GetValue<bool>("Webhooks:AllowPrivateAddresses");
        if (WebhookAddressRules.CheckUrl(req.Url, out var uri) is { } urlError)
        {
            ThrowError(r => r.Url!, urlError);
        }

        IReadOnlyList<System.Net.IPAddress> addresses;
        try
        {
            addresses = await WebhookAddressRules.ResolveAsync(uri!, ct);
        }
        catch (SocketException)
        {
            ThrowError(r => r.Url!, $"the host {uri!.Host} could not be resolved");
            return;
        }

        if (WebhookAddressRules.CheckAddresses(uri!, addresses, allowPrivate) is { } refused)
        {
            ThrowError(r => r.Url!, refused);
        }

        var filter = req.Filter is null ? null : new WebhookFilter { Kinds = req.Filter.Kinds, Endpoints = req.Filter.Endpoints, Classes = req.Filter.Classes };
        WebhookCreated created;
        try
        {
            created = await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).CreateAsync(
                new WebhookRegistration { Url = uri!.AbsoluteUri, Description = req.Description, Filter = filter, CreatedBy = JobRequester.Of(User) }, ct);
        }
        catch (InvalidOperationException e)
        {
            ThrowError(e.Message, StatusCodes.Status409Conflict);
            return;
        }

        HttpContext.Response.Headers.Location = $"/api/v1/webhooks/{created.Webhook.Id}";
        await Send.ResponseAsync(new CreateWebhookResponse(created.Webhook, created.Secret), StatusCodes.Status201Created, ct);
    }
}

/// <summary>Shape rules; the address rules run in the action (they need DNS).</summary>
public sealed class CreateWebhookValidator : Validator<CreateWebhookRequest>
{
    private const int MaxValues = 50;

    public CreateWebhookValidator()
    {
        RuleFor(r => r.Url).NotEmpty().WithMessage("url is required");
        RuleFor(r => r.Description).MaximumLength(200).WithMessage("description must be at most 200 characters");
        RuleFor(r => r.Filter!.Kinds).Must(k => k!.All(v => AuditEventJson.TryParseKind(v, out _)))
            .When(r => r.Filter?.Kinds is { Count: <= MaxValues }).OverridePropertyName("filter.kinds")
            .WithMessage("filter.kinds must name event kinds such as statement, login_failed, session_ended");
        RuleFor(r => r.Filter!.Endpoints).Must(k => k!.All(v => v is { Length: > 0 and <= 63 } && v.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            .When(r => r.Filter?.Endpoints is { Count: <= MaxValues }).OverridePropertyName("filter.endpoints")
            .WithMessage("filter.endpoints must be endpoint ids (lower-case letters, digits and '-')");
        RuleFor(r => r.Filter!.Classes).Must(k => k!.All(v => v is "read" or "write" or "ddl" or "dcl" or "tcl" or "other"))
            .When(r => r.Filter?.Classes is { Count: <= MaxValues }).OverridePropertyName("filter.classes")
            .WithMessage("filter.classes must be of read, write, ddl, dcl, tcl, other");
        RuleFor(r => r.Filter).Must(f => f!.Kinds is not { Count: > MaxValues } && f.Endpoints is not { Count: > MaxValues } && f.Classes is not { Count: > MaxValues })
            .When(r => r.Filter is not null).WithMessage($"each filter list holds at most {MaxValues} values");
    }
}
