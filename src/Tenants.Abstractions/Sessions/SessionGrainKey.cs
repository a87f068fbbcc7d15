namespace Tenants.Abstractions.Sessions;

/// <summary>
/// The key of a session grain: <c>&lt;tenant id&gt;/&lt;session id&gt;</c>. The tenant is part of the key, so a caller
/// that knows only a session id (of another tenant) reaches an empty grain of its own tenant, never the other's.
/// </summary>
public static class SessionGrainKey
{
    /// <summary>The key of <paramref name="sessionId"/> of <paramref name="tenantId"/>.</summary>
    /// <exception cref="ArgumentException">Either is empty, or the tenant id contains <c>/</c>.</exception>
    public static string For(string tenantId, string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (tenantId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A tenant id never contains '/'.", nameof(tenantId));
        }

        return $"{tenantId}/{sessionId}";
    }

    /// <summary>Splits a key made by <see cref="For"/>.</summary>
    public static (string TenantId, string SessionId) Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a session grain key (<tenant>/<session>).", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
