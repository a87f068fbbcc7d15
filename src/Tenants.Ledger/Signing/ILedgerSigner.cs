namespace Tenants.Ledger.Signing;

/// <summary>
/// Signs checkpoint notes. One signature per checkpoint, never per event.
/// Implementations: a local ECDSA P-256 key (embedded setup) and Azure Key Vault (ES256).
/// </summary>
public interface ILedgerSigner
{
    /// <summary>The public key this signer's signatures verify with.</summary>
    LedgerPublicKey PublicKey { get; }

    /// <summary>
    /// Signs <paramref name="message"/> (the checkpoint note body, including its final newline) with ECDSA P-256
    /// over SHA-256 and returns the signature as an ASN.1 DER sequence.
    /// </summary>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
