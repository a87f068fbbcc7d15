using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tenants.Ledger.Bundles;

/// <summary>
/// <c>manifest.json</c> of an export bundle: what the bundle claims to hold. Untrusted: a verifier takes the
/// auditor's tenant, origin and keys over these, and checks everything against the signed checkpoints.
/// </summary>
public sealed record LedgerBundleManifest
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "tenants-ledger-bundle";

    /// <summary>The bundle format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The bundle's path of the manifest.</summary>
    public const string Path = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Always <see cref="FormatName"/>.</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = FormatName;

    /// <summary>The format version, <see cref="CurrentVersion"/>.</summary>
    [JsonPropertyName("version")]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The tenant the ledger belongs to.</summary>
    [JsonPropertyName("tenant")]
    public required string TenantId { get; init; }

    /// <summary>The ledger origin.</summary>
    [JsonPropertyName("origin")]
    public required string Origin { get; init; }

    /// <summary>The first leaf held (the size of the first checkpoint held; 0 for a whole ledger).</summary>
    [JsonPropertyName("firstLeaf")]
    public long FirstLeaf { get; init; }

    /// <summary>The last leaf held, or <see langword="null"/> when the bundle holds no entries.</summary>
    [JsonPropertyName("lastLeaf")]
    public long? LastLeaf { get; init; }

    /// <summary>The tree sizes of the checkpoints held, ascending.</summary>
    [JsonPropertyName("checkpoints")]
    public IReadOnlyList<long> CheckpointSizes { get; init; } = [];

    /// <summary>
    /// The compact range of the tree at <see cref="FirstLeaf"/> (base64 hashes, largest subtree first), so that a
    /// bundle starting after leaf 0 can be verified; empty for a whole ledger.
    /// </summary>
    [JsonPropertyName("frontier")]
    public IReadOnlyList<string> Frontier { get; init; } = [];

    /// <summary>When the bundle was made (UTC).</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>The public keys included under <c>keys/</c>.</summary>
    [JsonPropertyName("keys")]
    public IReadOnlyList<LedgerBundleKey> Keys { get; init; } = [];

    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a manifest; throws <see cref="InvalidDataException"/> when it is not one this code understands.</summary>
    public static LedgerBundleManifest Parse(ReadOnlySpan<byte> json)
    {
        LedgerBundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<LedgerBundleManifest>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Path} is not valid: {ex.Message}", ex);
        }

        if (manifest is null || manifest.Format != FormatName)
        {
            throw new InvalidDataException($"{Path} does not describe a {FormatName}.");
        }

        if (manifest.Version != CurrentVersion)
        {
            throw new InvalidDataException($"Bundle format version {manifest.Version} is not supported (this verifier reads version {CurrentVersion}).");
        }

        return manifest;
    }
}
