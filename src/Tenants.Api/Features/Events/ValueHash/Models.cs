namespace Tenants.Api.Features.Events.ValueHash;

/// <summary>The value to hash: 1 to 10,000 characters, as it appears in the SQL or a parameter (unescaped).</summary>
public sealed class ValueHashRequest
{
    public string? Value { get; set; }
}

/// <summary>The hash (<c>hmac:</c> and 32 hex digits) and a full-text query (<c>q</c>) that finds events carrying it.</summary>
public sealed class ValueHashResponse
{
    public required string Hash { get; init; }

    public required string Query { get; init; }
}
