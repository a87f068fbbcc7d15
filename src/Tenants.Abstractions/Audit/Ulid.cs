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

    /// <summary>
    /// A deterministic ULID-shaped id: the time part (first 10 characters) of <paramref name="timeSource"/> when it is a
    /// ULID (zeros otherwise), then 80 bits of SHA-256 over the UTF-8 of <paramref name="material"/>. The same inputs
    /// always give the same id, so an event that may be emitted twice (a retry after a crash) is deduplicated by id.
    /// </summary>
    public static string Derive(string timeSource, string material)
    {
        ArgumentNullException.ThrowIfNull(timeSource);
        ArgumentNullException.ThrowIfNull(material);
        var time = timeSource.Length == 26 && timeSource[0] <= '7' && timeSource.All(c => Alphabet.Contains(c, StringComparison.Ordinal))
            ? timeSource[..10]
            : "0000000000";
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material));
        UInt128 value = 0;
        for (var i = 0; i < 10; i++)
        {
            value = (value << 8) | hash[i];
        }

        return string.Create(26, (time, value), static (chars, state) =>
        {
            state.time.AsSpan().CopyTo(chars);
            var v = state.value;
            for (var i = 25; i >= 10; i--)
            {
                chars[i] = Alphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
