using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Endpoints.Test;

/// <summary>Tests a saved endpoint; a login is tried with these credentials, or the stored brokered ones.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TestEndpointRequest
{
    /// <summary>The endpoint id (route).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>A database user to log in as (with <see cref="Password"/>); optional.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }
}

/// <summary>What the test found, step by step; the first failing step ends it.</summary>
public sealed class ConnectionTestResponse
{
    /// <summary>Whether every step ran and passed.</summary>
    public required bool Ok { get; init; }

    /// <summary>The name of the first failing step (<c>dns</c>, <c>tcp</c>, <c>tls</c>, <c>login</c>, <c>query</c>), or null.</summary>
    public string? FailedStep { get; init; }

    /// <summary>What went wrong at that step, in words.</summary>
    public string? Error { get; init; }

    /// <summary>The server's SQLSTATE when it refused (e.g. 28P01 for a wrong password).</summary>
    public string? SqlState { get; init; }

    /// <summary>The result of <c>select version()</c> when a login was made.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>Whether a login was tried (credentials given, or stored for a brokered endpoint).</summary>
    public required bool LoginTried { get; init; }

    public required IReadOnlyList<ConnectionTestStep> Steps { get; init; }
}

/// <summary>One step of a connection test.</summary>
public sealed class ConnectionTestStep
{
    /// <summary><c>dns</c>, <c>tcp</c>, <c>tls</c>, <c>login</c> or <c>query</c>.</summary>
    public required string Name { get; init; }

    public required bool Ok { get; init; }

    public required double DurationMs { get; init; }

    /// <summary>What the step saw (addresses, TLS version and cipher, the user logged in as).</summary>
    public string? Detail { get; init; }

    public string? Error { get; init; }

    public string? SqlState { get; init; }
}
