namespace Tenants.Infrastructure.Signing;

/// <summary>Which key signs checkpoints (configuration section <c>Ledger:Signing</c>).</summary>
public sealed class LedgerSigningOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Ledger:Signing";

    /// <summary><c>Local</c> (default) or <c>KeyVault</c>.</summary>
    public LedgerSigningProvider Provider { get; set; } = LedgerSigningProvider.Local;

    /// <summary>
    /// With <c>Local</c>: the file holding the ECDSA P-256 signing key (PKCS#8 PEM), created with mode 0600 on first
    /// run. Relative paths are under the content root.
    /// </summary>
    public string KeyFile { get; set; } = ".dev/keys/ledger-signing.pem";

    /// <summary>
    /// With <c>Local</c>: PEM files with the public keys of earlier signing keys (after a rotation), newest first. They
    /// are published next to the current key so older checkpoints stay verifiable. Relative paths are under the
    /// content root.
    /// </summary>
    public IList<string> PreviousPublicKeyFiles { get; } = [];

    /// <summary>With <c>KeyVault</c>: the vault and key (<c>Ledger:Signing:KeyVault</c>).</summary>
    public KeyVaultSigningOptions KeyVault { get; set; } = new();
}
