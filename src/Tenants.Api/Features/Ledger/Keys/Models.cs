using System.Globalization;
using Tenants.Ledger.Signing;

namespace Tenants.Api.Features.Ledger.Keys;

/// <summary>The keys that sign checkpoints: what an auditor needs to verify a ledger without trusting the service.</summary>
public sealed class LedgerKeysResponse
{
    public required IReadOnlyList<LedgerKeyItem> Keys { get; init; }

    /// <summary>The signer's keys: the current one first, then earlier versions, whose checkpoints still verify.</summary>
    internal static async Task<LedgerKeysResponse> CreateAsync(ILedgerSigner signer, CancellationToken ct)
    {
        var keys = await signer.GetPublicKeysAsync(ct);
        var current = signer.PublicKey.KeyId;
        return new LedgerKeysResponse
        {
            Keys =
            [
                .. keys.Select(key => new LedgerKeyItem
                {
                    Name = key.Name,
                    KeyId = key.KeyId.ToString("x8", CultureInfo.InvariantCulture),
                    Version = key.Version,
                    Current = key.KeyId == current,
                    Algorithm = "ECDSA-P256-SHA256",
                    PublicKeyPem = key.ToPem(),
                }),
            ],
        };
    }
}

/// <summary>One checkpoint signing key.</summary>
public sealed class LedgerKeyItem
{
    /// <summary>The key name on checkpoint signature lines.</summary>
    public required string Name { get; init; }

    /// <summary>The 4-byte key id (SHA-256 of the public key, first four bytes) as 8 hex digits.</summary>
    public required string KeyId { get; init; }

    /// <summary>
    /// The key version, as in the checkpoints' <c>key</c> line: the Azure Key Vault key version, or the key id for a
    /// local key.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>Whether this key signs new checkpoints; the others signed checkpoints before a rotation.</summary>
    public required bool Current { get; init; }

    /// <summary>Always <c>ECDSA-P256-SHA256</c> (signed-note signature type 0x02).</summary>
    public required string Algorithm { get; init; }

    /// <summary>The SubjectPublicKeyInfo as PEM.</summary>
    public required string PublicKeyPem { get; init; }
}
