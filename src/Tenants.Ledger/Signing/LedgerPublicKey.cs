using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tenants.Ledger.Signing;

/// <summary>
/// A checkpoint verification key: ECDSA P-256, identified as in C2SP signed-note type 0x02
/// (key id = first four bytes of SHA-256 over the SubjectPublicKeyInfo DER).
/// </summary>
/// <param name="Name">The key name that appears on the signature line (the ledger origin by convention).</param>
/// <param name="SubjectPublicKeyInfo">The DER-encoded SubjectPublicKeyInfo.</param>
public sealed record LedgerPublicKey(string Name, byte[] SubjectPublicKeyInfo)
{
    /// <summary>
    /// Which version of the signing key this is, recorded in the signed <c>key</c> line of each checkpoint: the Azure
    /// Key Vault key version, or the key id (8 hex digits) for a local key; <see langword="null"/> when unknown.
    /// A token without spaces or control characters.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>The 4-byte key id carried at the front of every signature made with this key.</summary>
    public uint KeyId => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(SubjectPublicKeyInfo).AsSpan(0, 4));

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>), the form auditors pass to tenants-verify.</summary>
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo);
}
