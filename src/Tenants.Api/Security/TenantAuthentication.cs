namespace Tenants.Api.Security;

/// <summary>
/// The authentication schemes: <see cref="Scheme"/> (the default) forwards a request with an <c>Authorization</c>
/// header to the key handler and any other to the portal's cookie session.
/// </summary>
public static class TenantAuthentication
{
    public const string Scheme = "Tenants";

    public const string CookieScheme = "Session";

    public const string CookieName = "tenants_session";
}
