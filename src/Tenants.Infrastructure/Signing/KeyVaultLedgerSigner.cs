using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// Signs checkpoints with an Azure Key Vault EC P-256 key (ES256), through the keys REST API on an Azure.Core pipeline:
/// challenge-based bearer authentication with an Azure.Identity credential, retries on 429/5xx honouring
/// <c>Retry-After</c>. One <c>sign</c> call per checkpoint; the vault returns IEEE P1363 <c>r||s</c>, which is checked
/// against the cached public key and re-encoded as DER. The key version is resolved once, at
/// <see cref="InitializeAsync"/>, and every signature is made with that versioned key.
/// </summary>
public sealed partial class KeyVaultLedgerSigner : ILedgerSigner, IDisposable
{
    private readonly string _vault;
    private readonly string _keyName;
    private readonly string? _configuredVersion;
    private readonly string _noteKeyName;
    private readonly TimeSpan _keyListRefreshInterval;
    private readonly HttpPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initializing = new(1, 1);
    private readonly SemaphoreSlim _listing = new(1, 1);
    private readonly ConcurrentDictionary<string, LedgerPublicKey> _keysByVersion = new(StringComparer.Ordinal);
    private SigningKey? _current;
    private IReadOnlyList<LedgerPublicKey>? _keyList;
    private long _keyListFetchedAt;

    /// <summary>Creates a signer; no call is made until <see cref="InitializeAsync"/> or the first signature.</summary>
    /// <param name="options">The vault and key.</param>
    /// <param name="noteKeyName">The key name on checkpoint signature lines (the ledger origin prefix by convention).</param>
    /// <param name="credential">Authenticates to the vault (<c>DefaultAzureCredential</c> in the host).</param>
    /// <param name="clientOptions">Retry, transport and diagnostics of the HTTP pipeline.</param>
    /// <param name="logger">Logs key resolution and failures; never tokens.</param>
    /// <param name="timeProvider">Clock for the key-list cache.</param>
    public KeyVaultLedgerSigner(
        KeyVaultSigningOptions options,
        string noteKeyName,
        TokenCredential credential,
        KeyVaultClientOptions? clientOptions = null,
        ILogger<KeyVaultLedgerSigner>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrEmpty(noteKeyName);
        ArgumentException.ThrowIfNullOrEmpty(options.KeyName);
        var vaultUri = options.VaultUri ?? throw new ArgumentException("VaultUri is required.", nameof(options));
        if (vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The vault URI {vaultUri} must be HTTPS.", nameof(options));
        }

        _vault = vaultUri.GetLeftPart(UriPartial.Authority);
        _keyName = options.KeyName;
        _configuredVersion = string.IsNullOrWhiteSpace(options.KeyVersion) ? null : options.KeyVersion;
        _noteKeyName = noteKeyName;
        _keyListRefreshInterval = options.KeyListRefreshInterval;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        clientOptions ??= new KeyVaultClientOptions();
        var verifyResource = !(options.DisableChallengeResourceVerification || clientOptions.DisableChallengeResourceVerification);
        _pipeline = HttpPipelineBuilder.Build(clientOptions, new KeyVaultChallengeAuthenticationPolicy(credential, verifyResource));
    }

    /// <summary>The current signing key, resolved by <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The key has not been resolved yet.</exception>
    public LedgerPublicKey PublicKey => (_current ?? throw new InvalidOperationException(
        $"The Key Vault signer has not resolved key {_keyName} in {_vault} yet; the host does this at start (InitializeAsync).")).PublicKey;

    /// <summary>
    /// Fetches the signing key's public key (resolving the current version when none is configured) and checks it is
    /// an enabled EC P-256 key that may sign. Safe to call more than once; later calls do nothing.
    /// </summary>
    /// <exception cref="KeyVaultSigningException">The vault refused, the key is missing or unsuitable.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_current is not null)
        {
            return;
        }

        await _initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is not null)
            {
                return;
            }

            var path = _configuredVersion is null ? $"keys/{_keyName}" : $"keys/{_keyName}/{_configuredVersion}";
            var bundle = await GetAsync(path, "get key", _configuredVersion, ReadKeyBundle, cancellationToken).ConfigureAwait(false);
            if (!bundle.Enabled)
            {
                throw new KeyVaultSigningException($"{Describe(bundle.Version)} is disabled; enable it or configure another version.");
            }

            if (bundle.Operations is { } operations && !operations.Contains("sign", StringComparer.Ordinal))
            {
                throw new KeyVaultSigningException($"{Describe(bundle.Version)} does not permit the 'sign' operation (key_ops: {string.Join(", ", operations)}).");
            }

            var verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(bundle.PublicKey.SubjectPublicKeyInfo, out _);
            _keysByVersion.TryAdd(bundle.Version, bundle.PublicKey);
            _current = new SigningKey(bundle.PublicKey, bundle.Version, $"{_vault}/keys/{_keyName}/{bundle.Version}", verifier);
            LogKeyResolved(_vault, _keyName, bundle.Version, bundle.PublicKey.KeyId);
        }
        finally
        {
            _initializing.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="KeyVaultSigningException">The vault refused or failed after retries, or its signature does not verify.</exception>
    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var key = _current!;
        var digest = SHA256.HashData(message.Span);
        var body = SignRequest(digest);
        var signature = await SendAsync(
            RequestMethod.Post, new Uri($"{key.Uri}/sign?api-version={KeyVaultClientOptions.ApiVersion}"), body, "sign", key.Version,
            ReadSignature, cancellationToken).ConfigureAwait(false);

        // A signature that does not verify would make an unverifiable checkpoint: refuse it here, loudly.
        if (signature.Length != 64 || !key.Verifier.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new KeyVaultSigningException(
                $"{Describe(key.Version)}: the vault's ES256 signature ({signature.Length} bytes) does not verify with the key's public key.");
        }

        LogSigned(_vault, _keyName, key.Version);
        return EcdsaSignatureEncoding.P1363ToDer(signature);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _current?.Verifier.Dispose();
        _initializing.Dispose();
        _listing.Dispose();
    }

    private static byte[] SignRequest(byte[] digest)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "ES256");
            writer.WriteString("value", Base64Url.EncodeToString(digest));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] ReadSignature(JsonElement root) =>
        root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? Base64Url.DecodeFromChars(value.GetString())
            : throw new FormatException("the sign result has no 'value'");

    private string Describe(string? version) =>
        version is null ? $"Key Vault {_vault} key {_keyName}" : $"Key Vault {_vault} key {_keyName} version {version}";

    private sealed record SigningKey(LedgerPublicKey PublicKey, string Version, string Uri, ECDsa Verifier);
}
