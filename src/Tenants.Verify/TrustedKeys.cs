using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Tenants.Ledger.Signing;

namespace Tenants.Verify;

/// <summary>Loads the auditor's public keys: PEM files (<c>--key</c>) and the keys document of the API (<c>--keys</c>).</summary>
internal static class TrustedKeys
{
    public static async Task<List<LedgerPublicKey>> LoadAsync(VerifyArguments arguments, string origin, CancellationToken ct)
    {
        var keys = new List<LedgerPublicKey>();
        var name = arguments.KeyName ?? origin[..Math.Max(0, origin.LastIndexOf('/'))];
        foreach (var file in arguments.KeyFiles)
        {
            keys.Add(new LedgerPublicKey(name, FromPem(await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), file)));
        }

        if (arguments.KeysJson is { } json)
        {
            keys.AddRange(await FromKeysDocumentAsync(json, ct).ConfigureAwait(false));
        }

        return keys;
    }

    // The body of GET /api/v1/ledger/keys: {"keys":[{"name","keyId","algorithm","publicKeyPem"}]}.
    private static async Task<List<LedgerPublicKey>> FromKeysDocumentAsync(string path, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false));
        if (!document.RootElement.TryGetProperty("keys", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected the JSON of GET /api/v1/ledger/keys, an object with a \"keys\" array");
        }

        var keys = new List<LedgerPublicKey>();
        foreach (var item in items.EnumerateArray())
        {
            var name = item.TryGetProperty("name", out var n) ? n.GetString() : null;
            var pem = item.TryGetProperty("publicKeyPem", out var p) ? p.GetString() : null;
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(pem))
            {
                throw new InvalidDataException($"{path}: every key needs \"name\" and \"publicKeyPem\"");
            }

            var key = new LedgerPublicKey(name, FromPem(pem, path));
            var keyId = key.KeyId.ToString("x8", CultureInfo.InvariantCulture);
            if (item.TryGetProperty("keyId", out var id) && id.GetString() != keyId)
            {
                throw new InvalidDataException($"{path}: key {name} says key id {id.GetString()} but its public key has id {keyId}");
            }

            keys.Add(key);
        }

        return keys;
    }

    private static byte[] FromPem(string pem, string source)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"{source}: not an ECDSA public key PEM ({ex.Message})", ex);
        }
    }
}
