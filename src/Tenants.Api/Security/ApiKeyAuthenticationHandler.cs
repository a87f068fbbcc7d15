using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tenants.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the configured keys (compared as SHA-256 hashes
/// in constant time) and gives the principal its tenant claim. Failures answer with RFC 7807 problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<ApiOptions> apiOptions,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("use Authorization: Bearer <api key>"));
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        string? tenant = null;
        foreach (var key in apiOptions.CurrentValue.Keys)
        {
            // Look at every key so the time taken does not depend on which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                tenant = key.TenantId;
            }
        }

        if (tenant is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        // A key seeded by configuration is the operator's: it may do everything within its tenant.
        var identity = new ClaimsIdentity(
            [new Claim(TenantClaims.TenantId, tenant), .. ApiPermissions.All.Select(p => new Claim(ApiPermissions.ClaimType, p))], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send an API key as 'Authorization: Bearer <key>'. A key that is unknown or malformed is refused.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", "The API key may not do this.");

    private Task Problem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(
            new { type = "about:blank", title, status, detail },
            options: null,
            contentType: "application/problem+json");
    }
}
