using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Security;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Strict, path /api, and Secure unless the request came over plain http to a
/// loopback address (a developer's <c>./dev up</c>), where a Secure cookie would never come back.
/// </summary>
internal sealed class SessionCookieBuilder : RequestPathBaseCookieBuilder
{
    public SessionCookieBuilder()
    {
        Name = TenantAuthentication.CookieName;
        HttpOnly = true;
        SameSite = SameSiteMode.Strict;
        SecurePolicy = CookieSecurePolicy.Always;
        IsEssential = true;
        Path = "/api";
    }

    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = !IsPlainLoopback(context);
        return options;
    }

    private static bool IsPlainLoopback(HttpContext context) =>
        !context.Request.IsHttps && context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
