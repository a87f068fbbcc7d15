using System.Text.Json.Serialization;

namespace Tenants.Ledger.Bundles;

/// <summary>A public key listed in a bundle manifest.</summary>
public sealed record LedgerBundleKey
{
    /// <summary>The key name on signature lines.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The key id, 8 lower-case hex digits.</summary>
    [JsonPropertyName("keyId")]
    public required string KeyId { get; init; }

    /// <summary>The bundle path of the SubjectPublicKeyInfo PEM, <c>keys/&lt;key id&gt;.pem</c>.</summary>
    [JsonPropertyName("file")]
    public required string File { get; init; }
}
