using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.Accounts;

/// <summary>The HTTP status of a <see cref="TenantValidationException"/>, from the kind of refusal the grain states.</summary>
internal static class TenantRefusals
{
    public static int Status(TenantValidationException refusal) => refusal.Kind switch
    {
        TenantRefusalKind.NotFound => StatusCodes.Status404NotFound,
        TenantRefusalKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
