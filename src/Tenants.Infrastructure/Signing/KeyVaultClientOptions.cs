using Azure.Core;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// Azure.Core pipeline options for the Key Vault keys REST API (retry, transport, diagnostics). Throttled (429) and
/// failed (408, 5xx) calls are retried by Azure.Core's retry policy, which waits at least what the service's
/// <c>Retry-After</c> header asks for.
/// </summary>
public sealed class KeyVaultClientOptions : ClientOptions
{
    /// <summary>The REST API version every request names.</summary>
    public const string ApiVersion = "7.5";

    /// <summary>Exponential backoff from 0.8 s up to 30 s, five retries, 30 s per attempt.</summary>
    public KeyVaultClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromSeconds(0.8);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>See <see cref="KeyVaultSigningOptions.DisableChallengeResourceVerification"/>.</summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
