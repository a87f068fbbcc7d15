using System.ComponentModel.DataAnnotations;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// The Azure Key Vault key that signs checkpoints (configuration section <c>Ledger:Signing:KeyVault</c>). The key must
/// be an EC P-256 key (<c>EC</c> or <c>EC-HSM</c>); the signer's identity needs the <c>Key Vault Crypto User</c> role
/// (or an access policy with <c>get</c>, <c>list</c> and <c>sign</c> on keys).
/// </summary>
public sealed class KeyVaultSigningOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Ledger:Signing:KeyVault";

    /// <summary>The vault, e.g. <c>https://contoso-ledger.vault.azure.net/</c>. Must be HTTPS.</summary>
    [Required]
    public Uri? VaultUri { get; set; }

    /// <summary>The key's name in the vault.</summary>
    [Required]
    [RegularExpression("^[0-9a-zA-Z-]{1,127}$")]
    public string KeyName { get; set; } = string.Empty;

    /// <summary>
    /// The key version to sign with. When empty, the current version is resolved once at start, and that versioned
    /// key is used until the process restarts (so a rotation in the vault takes effect at the next restart).
    /// </summary>
    [RegularExpression("^[0-9a-zA-Z]{1,64}$")]
    public string? KeyVersion { get; set; }

    /// <summary>
    /// The client id of a user-assigned managed identity to authenticate with. When empty,
    /// <c>DefaultAzureCredential</c> picks the identity (system-assigned managed identity in Azure).
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// How long the list of key versions published at <c>GET /api/v1/ledger/keys</c> is cached. Listing costs vault
    /// transactions, which share the quota with signing.
    /// </summary>
    public TimeSpan KeyListRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Skips the check that the vault's host belongs to the resource its authentication challenge names. Only for
    /// emulators on other host names; never in production, where the check stops a token going to a look-alike host.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
