using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tenants.Abstractions.Secrets;

/// <summary>
/// Seals stored database credentials (brokered endpoints) with AES-256-GCM. A sealed value is
/// <c>v1.&lt;key id&gt;.&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;</c>; the key id is the first 8 bytes (hex) of the
/// key's SHA-256, so a value names the key that opens it. The associated data is the value's context (the tenant and
/// endpoint it belongs to), so a sealed password copied to another endpoint or tenant does not open.
/// The first key seals; every key opens, so keys rotate by putting the new one first and keeping the old ones until
/// every credential has been sealed again.
/// </summary>
public sealed class CredentialProtector
{
    /// <summary>Every sealed value starts with this.</summary>
    public const string Prefix = "v1.";

    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly IReadOnlyList<(string Id, byte[] Key)> _keys;

    /// <param name="keys">32-byte keys, the sealing key first.</param>
    public CredentialProtector(IEnumerable<byte[]> keys)
    {
        _keys = [.. keys.Select(k => k.Length == KeySize
            ? (KeyId(k), k.ToArray())
            : throw new ArgumentException($"a credential key has {KeySize} bytes, not {k.Length}", nameof(keys)))];
        if (_keys.Count == 0)
        {
            throw new ArgumentException("at least one credential key is needed", nameof(keys));
        }
    }

    /// <summary>The id of the key that seals.</summary>
    public string SealingKeyId => _keys[0].Id;

    /// <summary>The context a brokered endpoint's password is sealed for.</summary>
    public static string EndpointContext(string tenantId, string endpointId) => $"endpoint-credential/{tenantId}/{endpointId}";

    /// <summary>The context a webhook's signing secret is sealed for: it opens only for that tenant's webhook.</summary>
    public static string WebhookContext(string tenantId, string webhookId) => $"webhook-secret/{tenantId}/{webhookId}";

    /// <summary>Whether <paramref name="value"/> has the form of a sealed value (not whether it opens).</summary>
    public static bool LooksSealed(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = value.Split('.');
        return parts.Length == 3 && parts[1].Length == 16 && parts[1].All(char.IsAsciiHexDigitLower)
            && Base64Url.IsValid(parts[2], out var length) && length >= NonceSize + TagSize;
    }

    public string Seal(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var (id, key) = _keys[0];
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + data.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize, data.Length), sealedBytes.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(data);
        return $"{Prefix}{id}.{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <exception cref="CredentialUnavailableException">
    /// The value is malformed, was sealed with a key this node does not have, or belongs to another context.
    /// </exception>
    public string Open(string sealedValue, string context)
    {
        if (!LooksSealed(sealedValue))
        {
            throw new CredentialUnavailableException("the stored credential is not a sealed value");
        }

        var parts = sealedValue.Split('.');
        var key = _keys.FirstOrDefault(k => k.Id == parts[1]).Key
            ?? throw new CredentialUnavailableException($"the stored credential was sealed with key {parts[1]}, which this node does not have");
        var bytes = Base64Url.DecodeFromChars(parts[2]);
        var length = bytes.Length - NonceSize - TagSize;
        var data = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), data, Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(data);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CredentialUnavailableException("the stored credential does not open: it was altered, or sealed for another endpoint");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>A new random key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
}
