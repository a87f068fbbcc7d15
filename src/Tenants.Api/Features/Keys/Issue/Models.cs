using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Keys.Issue;

/// <summary>A key to issue.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class IssueKeyRequest
{
    /// <summary>A name people recognise (1-100 characters).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// <c>apiKey</c> (for automation; needs members:write; scopes are permissions) or <c>personalAccessToken</c> (the
    /// caller's own; scopes <c>db:connect</c>, <c>db:connect:&lt;endpoint&gt;</c> and permissions the caller has).
    /// </summary>
    public string? Kind { get; set; }

    public List<string>? Scopes { get; set; }

    /// <summary>When it stops working; never when left out.</summary>
    public DateTimeOffset? Expires { get; set; }
}

/// <summary>The key's record and its secret, shown this once.</summary>
public sealed class IssueKeyResponse
{
    public required KeyItem Key { get; init; }

    /// <summary>The secret (<c>Authorization: Bearer &lt;secret&gt;</c>, or the password at a brokered endpoint). It cannot be shown again.</summary>
    public required string Secret { get; init; }
}
