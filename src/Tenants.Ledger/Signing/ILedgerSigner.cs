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

    /// <summary>
    /// Every public key that may have signed this deployment's checkpoints, the current one (<see cref="PublicKey"/>)
    /// first, then earlier versions kept after a key rotation. Verifiers trust all of them, so checkpoints signed
    /// before a rotation stay verifiable.
    /// </summary>
    Task<IReadOnlyList<LedgerPublicKey>> GetPublicKeysAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LedgerPublicKey>>([PublicKey]);
}
