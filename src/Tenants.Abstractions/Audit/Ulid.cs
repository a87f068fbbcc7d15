using System.Security.Cryptography;

namespace Tenants.Abstractions.Audit;

/// <summary>
/// ULIDs for sessions and events: 48 bits of milliseconds then 80 random bits, Crockford base32, so that ids sort by
/// time and never collide in practice.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new ULID for the given time.</summary>
    public static string New(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = time.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return string.Create(26, Convert.ToHexString(bytes), static (chars, hex) =>
        {
            var value = UInt128.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 25; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(value & 31)];
                value >>= 5;
            }
        });
    }
}
