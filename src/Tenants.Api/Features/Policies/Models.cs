using System.Text.Json;

namespace Tenants.Api.Features.Policies;

/// <summary>One published policy version, without its document.</summary>
public sealed class PolicyVersionItem
{
    public required int Version { get; init; }

    /// <summary>The member who published it.</summary>
    public required string Author { get; init; }

    public required DateTimeOffset Published { get; init; }

    /// <summary>Lowercase hex SHA-256 of the document as published (UTF-8).</summary>
    public required string Sha256 { get; init; }

    /// <summary>The document's size in bytes (UTF-8).</summary>
    public required int Size { get; init; }

    /// <summary>Whether this is the version in force (the newest).</summary>
    public required bool Current { get; init; }
}

/// <summary>One policy version with its document.</summary>
public sealed class PolicyResponse
{
    public required PolicyVersionItem Version { get; init; }

    /// <summary>The document as published (a JSON object; a string for a version that was not JSON).</summary>
    public required JsonElement Document { get; init; }
}

/// <summary>A policy version in the route.</summary>
public sealed class PolicyVersionRequest
{
    public int Version { get; set; }
}
