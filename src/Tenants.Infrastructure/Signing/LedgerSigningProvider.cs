namespace Tenants.Infrastructure.Signing;

/// <summary>Which signer makes checkpoint signatures (<c>Ledger:Signing:Provider</c>).</summary>
public enum LedgerSigningProvider
{
    /// <summary>A local ECDSA P-256 key file (<see cref="LocalLedgerSigner"/>): the embedded default.</summary>
    Local,

    /// <summary>An Azure Key Vault EC P-256 key (<see cref="KeyVaultLedgerSigner"/>).</summary>
    KeyVault,
}
