using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Accounts.SignOut;

/// <summary><c>DELETE /api/v1/session</c>: ends the cookie session (204). Any authenticated caller; keys have nothing to end.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/api/v1/session");
        Summary(s => s.Summary = "Signs out: the session cookie is removed.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await HttpContext.SignOutAsync(TenantAuthentication.CookieScheme);
        await Send.NoContentAsync(ct);
    }
}
