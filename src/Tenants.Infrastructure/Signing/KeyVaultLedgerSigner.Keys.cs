using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Signing;

public sealed partial class KeyVaultLedgerSigner
{
    /// <summary>The <see cref="KeyVaultSigningException.ErrorCode"/> of a key that is not an EC P-256 key.</summary>
    public const string UnsuitableKey = "UnsuitableKey";

    /// <summary>
    /// The signing key first, then every other enabled EC P-256 version of the key, newest first: all the keys that
    /// may have signed this deployment's checkpoints. The list is cached for
    /// <see cref="KeyVaultSigningOptions.KeyListRefreshInterval"/> and each version's public key for good (versions
    /// never change), so publishing the keys costs the vault almost nothing. If a refresh fails, the last list is
    /// served and a warning logged.
    /// </summary>
    /// <remarks>
    /// A disabled version cannot be read, so it drops out of the list: retire an old version by limiting its
    /// operations to <c>verify</c> rather than disabling it (docs/operations.md).
    /// </remarks>
    public async Task<IReadOnlyList<LedgerPublicKey>> GetPublicKeysAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (Fresh(_keyList) is { } cached)
        {
            return cached;
        }

        await _listing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_keyList) is { } again)
            {
                return again;
            }

            try
            {
                _keyList = await ListKeysAsync(cancellationToken).ConfigureAwait(false);
                _keyListFetchedAt = _time.GetTimestamp();
            }
            catch (KeyVaultSigningException e) when (_keyList is not null)
            {
                LogKeyListStale(e, _keyName, _time.GetElapsedTime(_keyListFetchedAt));
            }

            return _keyList ?? [PublicKey];
        }
        finally
        {
            _listing.Release();
        }
    }

    private IReadOnlyList<LedgerPublicKey>? Fresh(IReadOnlyList<LedgerPublicKey>? list) =>
        list is not null && _time.GetElapsedTime(_keyListFetchedAt) < _keyListRefreshInterval ? list : null;

    private async Task<IReadOnlyList<LedgerPublicKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var versions = new List<VersionItem>();
        Uri? next = new($"{_vault}/keys/{_keyName}/versions?api-version={KeyVaultClientOptions.ApiVersion}");
        while (next is not null)
        {
            var page = await SendAsync(Azure.Core.RequestMethod.Get, next, null, "list key versions", null, ReadVersionsPage, cancellationToken)
                .ConfigureAwait(false);
            versions.AddRange(page.Items);
            next = page.NextLink;

            // Never follow a link (and send a token) to another host than the vault.
            if (next is not null && !string.Equals(next.GetLeftPart(UriPartial.Authority), _vault, StringComparison.OrdinalIgnoreCase))
            {
                throw new KeyVaultSigningException($"{Describe(null)}: the version list links to another host ({next.Host}).");
            }
        }

        var current = _current!;
        var keys = new List<LedgerPublicKey> { current.PublicKey };
        foreach (var item in versions.Where(v => v.Enabled && v.Version != current.Version).OrderByDescending(v => v.Created))
        {
            if (!_keysByVersion.TryGetValue(item.Version, out var key))
            {
                try
                {
                    var bundle = await GetAsync($"keys/{_keyName}/{item.Version}", "get key", item.Version, ReadKeyBundle, cancellationToken)
                        .ConfigureAwait(false);
                    key = _keysByVersion.GetOrAdd(item.Version, bundle.PublicKey);
                }
                catch (KeyVaultSigningException e) when (e.ErrorCode == UnsuitableKey)
                {
                    // Not an EC P-256 key: it cannot have signed a checkpoint, so it is not published.
                    LogVersionSkipped(_keyName, item.Version, e.Message);
                    continue;
                }
            }

            keys.Add(key);
        }

        return keys;
    }

    private KeyBundle ReadKeyBundle(JsonElement root)
    {
        var key = root.GetProperty("key");
        var kid = key.GetProperty("kid").GetString() ?? string.Empty;
        var version = kid.TrimEnd('/').Split('/')[^1];
        var enabled = !root.TryGetProperty("attributes", out var attributes)
            || !attributes.TryGetProperty("enabled", out var flag)
            || flag.ValueKind != JsonValueKind.False;
        IReadOnlyList<string>? operations = key.TryGetProperty("key_ops", out var ops) && ops.ValueKind == JsonValueKind.Array
            ? [.. ops.EnumerateArray().Select(o => o.GetString() ?? string.Empty)]
            : null;
        return new KeyBundle(version, ReadPublicKey(key, version), enabled, operations);
    }

    /// <summary>The SubjectPublicKeyInfo of an EC P-256 JSON Web Key; any other key is refused with a clear message.</summary>
    private LedgerPublicKey ReadPublicKey(JsonElement jwk, string version)
    {
        var kty = jwk.TryGetProperty("kty", out var k) ? k.GetString() : null;
        var crv = jwk.TryGetProperty("crv", out var c) ? c.GetString() : null;
        if (kty is not ("EC" or "EC-HSM") || crv != "P-256")
        {
            throw new KeyVaultSigningException(
                $"{Describe(version)} is a {kty} {crv} key; ledger checkpoints are signed with ES256 and need an EC key on curve P-256 "
                + "(az keyvault key create --kty EC --curve P-256).", 0, UnsuitableKey);
        }

        var x = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString());
        var y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString());
        if (x.Length != 32 || y.Length != 32)
        {
            throw new KeyVaultSigningException($"{Describe(version)}: the JWK coordinates are not 32 bytes each.", 0, UnsuitableKey);
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return new LedgerPublicKey(_noteKeyName, ecdsa.ExportSubjectPublicKeyInfo()) { Version = version };
        }
        catch (CryptographicException e)
        {
            throw new KeyVaultSigningException($"{Describe(version)}: the JWK is not a point on P-256.", 0, UnsuitableKey, e);
        }
    }

    private static VersionsPage ReadVersionsPage(JsonElement root)
    {
        var items = new List<VersionItem>();
        if (root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                var kid = item.GetProperty("kid").GetString() ?? string.Empty;
                var attributes = item.TryGetProperty("attributes", out var a) ? a : default;
                var enabled = attributes.ValueKind != JsonValueKind.Object
                    || !attributes.TryGetProperty("enabled", out var flag) || flag.ValueKind != JsonValueKind.False;
                var created = attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("created", out var time)
                    && time.TryGetInt64(out var seconds) ? seconds : 0;
                items.Add(new VersionItem(kid.TrimEnd('/').Split('/')[^1], enabled, created));
            }
        }

        var next = root.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String
            && Uri.TryCreate(link.GetString(), UriKind.Absolute, out var uri) ? uri : null;
        return new VersionsPage(items, next);
    }

    private sealed record KeyBundle(string Version, LedgerPublicKey PublicKey, bool Enabled, IReadOnlyList<string>? Operations);

    private sealed record VersionItem(string Version, bool Enabled, long Created);

    private sealed record VersionsPage(IReadOnlyList<VersionItem> Items, Uri? NextLink);
}
