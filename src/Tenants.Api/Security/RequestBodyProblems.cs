using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Security;

/// <summary>
/// A request body Kestrel refuses while it is read (larger than the endpoint's limit: 413; cut short: 400) becomes a
/// problem with that status instead of an unhandled exception.
/// </summary>
internal static class RequestBodyProblems
{
    public static async Task CatchAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ApiProblems.WriteAsync(context, ex.StatusCode,
                ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", ex.Message);
        }
    }
}
