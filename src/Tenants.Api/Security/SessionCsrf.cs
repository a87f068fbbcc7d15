using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Security;

/// <summary>
/// CSRF protection for the cookie session: a request that changes something (anything but GET, HEAD, OPTIONS, TRACE)
/// and is authenticated by the cookie must carry <c>X-CSRF-Token</c> equal to the session's token (<c>GET /me</c>).
/// Requests with a key carry no ambient credential, so they need none. SameSite=Strict is the first line; this is the second.
/// </summary>
internal static class SessionCsrf
{
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var user = context.User;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method)
            || user.FindFirstValue(AccountClaims.Credential) != AccountClaims.CookieCredential)
        {
            await next(context);
            return;
        }

        var expected = user.FindFirstValue(AccountClaims.Csrf);
        var presented = context.Request.Headers[AccountClaims.CsrfHeader].ToString();
        if (expected is null || presented.Length == 0
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "CSRF token missing or wrong",
                $"A request signed in by the session cookie that changes something must send the header {AccountClaims.CsrfHeader} with the csrfToken that GET /api/v1/me returns.");
            return;
        }

        await next(context);
    }
}
