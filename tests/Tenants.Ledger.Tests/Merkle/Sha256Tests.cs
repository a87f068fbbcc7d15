using System.Security.Cryptography;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

public sealed class Sha256Tests
{
    [Fact]
    public void IsNative_OnLinux_UsesLibcrypto()
    {
        // .NET itself needs OpenSSL's libcrypto on Linux, so the fast path must be found there.
        Assert.Equal(OperatingSystem.IsLinux(), Sha256.IsNative);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    public void Hash_NativeAndManaged_AgreeWithSha256OfTheConcatenation(byte prefix)
    {
        var random = new Random(6962);
        Span<byte> native = stackalloc byte[32];
        Span<byte> managed = stackalloc byte[32];
        for (var length = 0; length < 1500; length += 1 + (length / 10))
        {
            var first = new byte[length];
            var second = new byte[random.Next(0, 70)];
            random.NextBytes(first);
            random.NextBytes(second);
            var expected = SHA256.HashData([prefix, .. first, .. second]);

            Sha256.HashManaged(prefix, first, second, managed);
            Assert.Equal(expected, managed.ToArray());
            if (Sha256.IsNative)
            {
                Sha256.HashNative(prefix, first, second, native);
                Assert.Equal(expected, native.ToArray());
            }
        }
    }

    [Fact]
    public void Hash_DestinationOverlapsInput_IsStillCorrect()
    {
        var buffer = new byte[64];
        new Random(1).NextBytes(buffer);
        var expected = SHA256.HashData([0x01, .. buffer]);

        Sha256.Hash(0x01, buffer.AsSpan(0, 32), buffer.AsSpan(32, 32), buffer.AsSpan(0, 32));

        Assert.Equal(expected, buffer[..32]);
    }
}
