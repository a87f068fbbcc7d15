namespace Tenants.Api.Security;

/// <summary>Claims beside <see cref="TenantClaims"/> that say how the caller signed in.</summary>
public static class AccountClaims
{
    /// <summary>The signed-in person's normalised email (cookie sessions only): the key of their account.</summary>
    public const string Email = "email";

    /// <summary>The session's CSRF token (cookie sessions only); unsafe requests must echo it in <see cref="CsrfHeader"/>.</summary>
    public const string Csrf = "csrf";

    /// <summary>The key id of an issued API key or personal access token.</summary>
    public const string KeyId = "key";

    /// <summary>How the caller authenticated: one of <see cref="CookieCredential"/>, <see cref="ApiKeyCredential"/>, ...</summary>
    public const string Credential = "credential";

    public const string CookieCredential = "session";

    public const string ApiKeyCredential = "api-key";

    public const string PersonalAccessTokenCredential = "personal-access-token";

    public const string ConfiguredKeyCredential = "configured-key";

    public const string CsrfHeader = "X-CSRF-Token";
}
