using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: first against the keys configured by the operator (compared as
/// SHA-256 hashes in constant time; they hold every permission), then as a key the platform issued
/// (<c>tk_&lt;tenant&gt;_...</c>, checked by the tenant's grain). An issued API key holds the scopes that are
/// <see cref="ApiPermissions"/>; a personal access token acts as its member, with the member's current role's permissions,
/// limited to its scopes when they name permissions. Failures answer with RFC 7807 problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<ApiOptions> apiOptions,
    IGrainFactory grains,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string IssuedPrefix = "tk_";

    // Far above any key the platform issues; a longer header is refused before anything is hashed or called.
    private const int MaxKeyLength = 512;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("use Authorization: Bearer <api key>");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > MaxKeyLength)
        {
            return AuthenticateResult.Fail("malformed API key");
        }

        if (Configured(secret) is { } tenant)
        {
            // A key seeded by configuration is the operator's: it may do everything within its tenant.
            return Success(
            [
                new Claim(TenantClaims.TenantId, tenant),
                new Claim(AccountClaims.Credential, AccountClaims.ConfiguredKeyCredential),
                .. ApiPermissions.All.Select(p => new Claim(ApiPermissions.ClaimType, p)),
            ]);
        }

        return await IssuedAsync(secret) is { } claims ? Success(claims) : AuthenticateResult.Fail("unknown API key");
    }

    private string? Configured(string secret)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        string? tenant = null;
        foreach (var key in apiOptions.CurrentValue.Keys)
        {
            // Look at every key so the time taken does not depend on which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                tenant = key.TenantId;
            }
        }

        return tenant;
    }

    private async Task<List<Claim>?> IssuedAsync(string secret)
    {
        // tk_<tenant>_<key id>_<random>: tenant ids have no '_', so the tenant ends at the first one.
        var end = secret.IndexOf('_', IssuedPrefix.Length);
        if (!secret.StartsWith(IssuedPrefix, StringComparison.Ordinal) || end < 0 || !TenantIds.IsValid(secret[IssuedPrefix.Length..end]))
        {
            return null;
        }

        var tenantId = secret[IssuedPrefix.Length..end];
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.AuthenticateKeyAsync(secret, Context.RequestAborted) is not { } key)
        {
            return null;
        }

        var scopedPermissions = key.Scopes.Where(ApiPermissions.All.Contains).ToList();
        List<Claim> claims;
        if (key.Kind == TenantKeyKind.PersonalAccessToken)
        {
            var members = await tenant.GetMembersAsync(Context.RequestAborted);
            if (members.FirstOrDefault(m => m.Id == key.IssuedBy) is not { } member)
            {
                return null;
            }

            claims = MemberPermissions.Claims(tenantId, member, scopedPermissions.Count > 0 ? scopedPermissions : null);
            claims.Add(new Claim(AccountClaims.Credential, AccountClaims.PersonalAccessTokenCredential));
        }
        else
        {
            // An API key is no one's: its changes are filed under the member who issued it, but it has no role.
            claims =
            [
                new Claim(TenantClaims.TenantId, tenantId),
                new Claim(TenantClaims.MemberId, key.IssuedBy),
                new Claim(AccountClaims.Credential, AccountClaims.ApiKeyCredential),
                .. scopedPermissions.Select(p => new Claim(ApiPermissions.ClaimType, p)),
            ];
        }

        claims.Add(new Claim(AccountClaims.KeyId, key.Id));
        return claims;
    }

    private static AuthenticateResult Success(IEnumerable<Claim> claims) => AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send an API key as 'Authorization: Bearer <key>'. A key that is unknown, revoked, expired or malformed is refused.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The API key may not do this: it lacks the permission.");
}
