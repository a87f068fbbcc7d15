using System.Security.Cryptography;
using System.Text;

namespace Tenants.Policy.Rules;

/// <summary>
/// The keyed hash that stands in for a value wherever policy hides it (masked columns with <see cref="MaskKind.Hash"/>,
/// redacted parameters and literals): <c>hmac:</c> and the first 16 bytes of HMAC-SHA-256 over the value's UTF-8 bytes
/// with the tenant's salt, in lowercase hex. Equal values give equal hashes within a tenant, so a search by value still
/// finds them (hash the value the same way), and nothing can be read back without the salt.
/// </summary>
public static class ValueHasher
{
    public const string Prefix = "hmac:";

    public static string Hash(ReadOnlySpan<byte> salt, string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(value), mac);
        return Prefix + Convert.ToHexStringLower(mac[..16]);
    }
}
