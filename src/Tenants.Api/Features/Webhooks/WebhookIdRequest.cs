using FastEndpoints;
using FluentValidation;

namespace Tenants.Api.Features.Webhooks;

/// <summary>A webhook id in the route (and, for redelivery, a delivery id).</summary>
public sealed class WebhookIdRequest
{
    public string Id { get; set; } = string.Empty;

    public string? DeliveryId { get; set; }
}

/// <summary>Webhook ids are <c>wh_</c> and a lower-case ULID; delivery ids are ULIDs.</summary>
public sealed class WebhookIdValidator : Validator<WebhookIdRequest>
{
    public WebhookIdValidator()
    {
        RuleFor(r => r.Id).Matches("^wh_[0-9a-hjkmnp-tv-z]{26}$").WithMessage("id must be a webhook id: wh_ and 26 lower-case letters and digits");
        RuleFor(r => r.DeliveryId).Matches("^[0-9A-HJKMNP-TV-Z]{26}$").When(r => r.DeliveryId is not null)
            .WithMessage("deliveryId must be a delivery id: 26 digits and capital letters (a ULID)");
    }
}
