using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tenants.Edge.Broker;

/// <summary>
/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it: no channel binding (<c>n,,</c>) and
/// an empty user name (the server takes the role from the startup message). Each step checks what the server sent;
/// a server that does not prove it knows the password fails the login.
/// </summary>
internal sealed class ScramSha256Client(string password)
{
    public const string Mechanism = "SCRAM-SHA-256";

    /// <summary>More iterations than this from a server is refused: it would cost the proxy seconds of CPU per login.</summary>
    private const int MaxIterations = 1_000_000;

    private readonly string _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;

    /// <summary>True once the server proved it knows the password (<see cref="Verify"/>).</summary>
    public bool Verified { get; private set; }

    /// <summary>The client-first-message.</summary>
    public byte[] First()
    {
        _clientFirstBare = "n=,r=" + _clientNonce;
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    /// <summary>The client-final-message for the server-first-message <paramref name="serverFirst"/>.</summary>
    /// <exception cref="UpstreamLoginException">The server's message is malformed or unsafe.</exception>
    public byte[] Final(ReadOnlySpan<byte> serverFirst)
    {
        var text = Encoding.UTF8.GetString(serverFirst);
        var attributes = Attributes(text);
        if (!attributes.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length
            || !attributes.TryGetValue('s', out var saltText) || !attributes.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            throw new UpstreamLoginException("the database sent an invalid SCRAM challenge");
        }

        if (iterations > MaxIterations)
        {
            throw new UpstreamLoginException($"the database asks for {iterations} SCRAM iterations; the proxy accepts at most {MaxIterations}");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw new UpstreamLoginException("the database sent an invalid SCRAM salt");
        }

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = "c=biws,r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{text},{withoutProof}");
        var proof = HMACSHA256.HashData(storedKey, authMessage);
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] ^= clientKey[i];
        }

        _expectedServerSignature = HMACSHA256.HashData(HMACSHA256.HashData(saltedPassword, "Server Key"u8), authMessage);
        CryptographicOperations.ZeroMemory(saltedPassword);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    /// <summary>Checks the server-final-message: the server must prove it holds the password's verifier.</summary>
    public void Verify(ReadOnlySpan<byte> serverFinal)
    {
        var attributes = Attributes(Encoding.UTF8.GetString(serverFinal));
        if (attributes.TryGetValue('e', out var error))
        {
            throw new UpstreamLoginException($"the database refused the SCRAM exchange: {error}");
        }

        byte[] signature;
        try
        {
            signature = attributes.TryGetValue('v', out var v) ? Convert.FromBase64String(v) : [];
        }
        catch (FormatException)
        {
            signature = [];
        }

        if (_expectedServerSignature is null || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new UpstreamLoginException("the database's SCRAM signature does not match: it does not know this password");
        }

        Verified = true;
    }

    private static Dictionary<char, string> Attributes(string message)
    {
        var attributes = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                attributes.TryAdd(part[0], part[2..]);
            }
        }

        return attributes;
    }
}
