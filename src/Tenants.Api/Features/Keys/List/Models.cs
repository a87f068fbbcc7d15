namespace Tenants.Api.Features.Keys.List;

/// <summary>Keys the caller may see, oldest first.</summary>
public sealed class ListKeysResponse
{
    public required IReadOnlyList<KeyItem> Items { get; init; }
}
