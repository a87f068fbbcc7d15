using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Tenants.Grains.Accounts;

/// <summary>
/// Argon2id password hashes in the PHC string format (<c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>,
/// base64 without padding). The parameters are OWASP's first Argon2id recommendation (19 MiB, 2 passes, 1 lane), 16
/// bytes of salt and a 32-byte tag; they are stored in every hash, so stronger ones can be taken later without
/// invalidating old hashes.
/// </summary>
internal static class PasswordHash
{
    private const int MemoryKiB = 19456;
    private const int Iterations = 2;
    private const int Lanes = 1;
    private const int SaltBytes = 16;
    private const int TagBytes = 32;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var tag = Derive(password, salt, MemoryKiB, Iterations, Lanes, TagBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Lanes}${Encode(salt)}${Encode(tag)}");
    }

    /// <summary>Whether <paramref name="password"/> is the one hashed (constant-time comparison); false for a malformed hash.</summary>
    public static bool Verify(string password, string hash)
    {
        var parts = hash.Split('$');
        if (parts is not [_, "argon2id", "v=19", var parameters, var salt, var tag])
        {
            return false;
        }

        var values = parameters.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var expected = Decode(tag);
        var actual = Derive(password, Decode(salt), values["m"], values["t"], values["p"], expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int iterations, int lanes, int length)
    {
        using var argon2 = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = lanes,
        };
        return argon2.GetBytes(length);
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] Decode(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
