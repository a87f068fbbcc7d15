namespace Tenants.Abstractions.Tenancy;

/// <summary>Key scopes the platform itself checks.</summary>
public static class TenantScopes
{
    /// <summary>
    /// A personal access token with this scope signs its member in at every brokered endpoint of the tenant;
    /// <c>db:connect:&lt;endpoint-id&gt;</c> at that endpoint only.
    /// </summary>
    public const string Connect = "db:connect";

    /// <summary>Whether <paramref name="scopes"/> let a token sign in at <paramref name="endpointId"/>.</summary>
    public static bool AllowsConnect(IEnumerable<string> scopes, string endpointId) =>
        scopes.Any(s => s == Connect || (s.Length == Connect.Length + 1 + endpointId.Length
            && s.StartsWith(Connect, StringComparison.Ordinal) && s[Connect.Length] == ':' && s.EndsWith(endpointId, StringComparison.Ordinal)));
}
