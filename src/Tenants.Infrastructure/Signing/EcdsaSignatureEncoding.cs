using System.Formats.Asn1;

namespace Tenants.Infrastructure.Signing;

/// <summary>Converts ECDSA signatures between IEEE P1363 (<c>r||s</c>, what JOSE and Key Vault use) and ASN.1 DER.</summary>
internal static class EcdsaSignatureEncoding
{
    /// <summary>
    /// <c>SEQUENCE { r INTEGER, s INTEGER }</c> in DER from a fixed-length <c>r||s</c>: each half is an unsigned
    /// big-endian number, written minimally (leading zeros dropped, a zero byte added when the top bit is set).
    /// </summary>
    public static byte[] P1363ToDer(ReadOnlySpan<byte> signature)
    {
        if (signature.Length == 0 || signature.Length % 2 != 0)
        {
            throw new ArgumentException("An IEEE P1363 signature has two halves of equal length.", nameof(signature));
        }

        var half = signature.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(signature[..half]));
            writer.WriteIntegerUnsigned(Minimal(signature[half..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
