namespace Tenants.Host.Hosting;

/// <summary>Which key signs checkpoints.</summary>
public sealed class SigningOptions
{
    public const string SectionName = "Ledger:Signing";

    /// <summary>
    /// File holding the local ECDSA P-256 signing key (PKCS#8 PEM), created with mode 0600 on first run. Relative
    /// paths are under the content root.
    /// </summary>
    public string KeyFile { get; set; } = ".dev/keys/ledger-signing.pem";
}
