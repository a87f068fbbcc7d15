using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Security;

/// <summary>RFC 7807 answers written outside FastEndpoints (authentication, CSRF, rate limits, oversized bodies).</summary>
internal static class ApiProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new { type = "about:blank", title, status, detail },
            options: null,
            contentType: "application/problem+json",
            context.RequestAborted);
    }
}
