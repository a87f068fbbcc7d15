using System.Text.RegularExpressions;
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
public sealed partial class WebhookIdValidator : Validator<WebhookIdRequest>
{
    public const string IdMessage = "id must be a webhook id: wh_ and 26 lower-case letters and digits";
    public const string DeliveryIdMessage = "deliveryId must be a delivery id: 26 digits and capital letters (a ULID)";

    public WebhookIdValidator()
    {
        RuleFor(r => r.Id).Must(IsWebhookId).WithMessage(IdMessage);
        RuleFor(r => r.DeliveryId).Must(id => IsDeliveryId(id!)).When(r => r.DeliveryId is not null).WithMessage(DeliveryIdMessage);
    }

    /// <summary>Whether <paramref name="id"/> has the form of a webhook id.</summary>
    public static bool IsWebhookId(string? id) => id is not null && WebhookId().IsMatch(id);

    /// <summary>Whether <paramref name="id"/> has the form of a delivery id.</summary>
    public static bool IsDeliveryId(string? id) => id is not null && DeliveryId().IsMatch(id);

    [GeneratedRegex("^wh_[0-9a-hjkmnp-tv-z]{26}$")]
    private static partial Regex WebhookId();

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{26}$")]
    private static partial Regex DeliveryId();
}
