namespace Tenants.Api.Features.Keys.Revoke;

public sealed class RevokeKeyRequest
{
    /// <summary>From the route.</summary>
    public string KeyId { get; set; } = string.Empty;
}
