using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Features.Webhooks;

/// <summary>The 404 every webhook action gives for an id the caller's tenant does not have.</summary>
internal static class WebhookLookup
{
    public const int NotFound = StatusCodes.Status404NotFound;

    public static string NotFoundMessage(string id) => $"no webhook '{id}' in this tenant";
}
