using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Features.Accounts;

/// <summary>The HTTP status of a <see cref="Abstractions.Tenancy.TenantValidationException"/>, from the rule it states.</summary>
internal static class TenantRefusals
{
    public static int Status(string message) =>
        message.Contains("has no member", StringComparison.Ordinal) || message.Contains("has no key", StringComparison.Ordinal)
            ? StatusCodes.Status404NotFound
            : message.Contains("already", StringComparison.Ordinal) || message.Contains("taken", StringComparison.Ordinal)
                || message.Contains("last owner", StringComparison.Ordinal)
                ? StatusCodes.Status409Conflict
                : StatusCodes.Status400BadRequest;
}
