using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Sessions;

/// <summary>
/// The running digest over one session's entries, in leaf order, that its <c>session_summary</c> entry carries:
/// <c>D0 = SHA-256("tenants.session-digest.v1" || 0x00 || tenant || 0x00 || session)</c> (UTF-8), then
/// <c>D(i) = SHA-256(0x02 || D(i-1) || LEAF(e_i))</c> for each entry <c>e_i</c> of the session, where <c>LEAF</c> is the
/// RFC 6962 leaf hash. The <c>0x02</c> prefix keeps the chain apart from the tree's leaf (0x00) and node (0x01) hashes.
/// </summary>
public static class SessionDigest
{
    /// <summary>The domain tag of the seed.</summary>
    public const string Domain = "tenants.session-digest.v1";

    /// <summary>The chain's prefix byte.</summary>
    public const byte ChainPrefix = 0x02;

    /// <summary>The seed <c>D0</c> of a session's digest.</summary>
    public static byte[] Seed(string tenantId, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(sessionId);
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{Domain}\0{tenantId}\0{sessionId}"));
    }

    /// <summary>Extends <paramref name="digest"/> in place by the leaf hash of the session's next entry.</summary>
    public static void Extend(Span<byte> digest, ReadOnlySpan<byte> leafHash)
    {
        if (digest.Length != Rfc6962Hasher.HashSize || leafHash.Length != Rfc6962Hasher.HashSize)
        {
            throw new ArgumentException("Digests and leaf hashes are 32 bytes.");
        }

        Sha256.Hash(ChainPrefix, digest, leafHash, digest);
    }

    /// <summary>The digest as written in a summary: 64 lower-case hex digits.</summary>
    public static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
