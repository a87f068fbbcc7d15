using System.Security.Cryptography;
using Tenants.Infrastructure.Signing;

namespace Tenants.Infrastructure.Tests.Signing;

public sealed class EcdsaSignatureEncodingTests
{
    [Fact]
    public void P1363ToDer_HalvesWithLeadingZerosOrHighBits_VerifyAsDer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hash = SHA256.HashData("checkpoint"u8);
        bool leadingZero = false, highBit = false;

        // Signatures are random: sign until both awkward encodings of r or s have been seen (about 1 in 128 and 1 in 2).
        for (var i = 0; i < 20_000 && !(leadingZero && highBit); i++)
        {
            var raw = key.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var zero = raw[0] == 0 || raw[32] == 0;
            var high = raw[0] >= 0x80 || raw[32] >= 0x80;
            if ((zero && !leadingZero) || (high && !highBit))
            {
                Assert.True(key.VerifyHash(hash, EcdsaSignatureEncoding.P1363ToDer(raw), DSASignatureFormat.Rfc3279DerSequence));
                leadingZero |= zero;
                highBit |= high;
            }
        }

        Assert.True(leadingZero && highBit);
    }

    [Fact]
    public void P1363ToDer_KnownValues_EncodeMinimally()
    {
        var raw = new byte[64];
        raw[31] = 0x01;         // r = 1
        raw[32] = 0x80;         // s = 0x80 << 248: needs a leading zero byte

        var der = EcdsaSignatureEncoding.P1363ToDer(raw);

        Assert.Equal([0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80], der[..9]);
        Assert.Equal(2 + 3 + 2 + 33, der.Length);
    }
}
