namespace Tenants.Api.Features.Ledger.Keys;

/// <summary>The keys that sign checkpoints: what an auditor needs to verify a ledger without trusting the service.</summary>
public sealed class LedgerKeysResponse
{
    public required IReadOnlyList<LedgerKeyItem> Keys { get; init; }
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
