using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tenants.Ledger.Signing;

namespace Tenants.Ledger.Checkpoints;

/// <summary>
/// Signs and opens checkpoints as C2SP signed notes: the body, a blank line, then one line per signature,
/// <c>— &lt;key name&gt; base64(4-byte big-endian key id || DER ECDSA P-256 signature)</c>.
/// The signature covers the UTF-8 body text including its final newline, not the blank line.
/// </summary>
public static class CheckpointNote
{
    /// <summary>Upper bound on signature lines read from one note (signed-note requires accepting at least 16).</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";
    private const int KeyIdSize = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Signs <paramref name="checkpoint"/> and returns the complete note text, ending with a newline.</summary>
    public static async Task<string> SignAsync(Checkpoint checkpoint, ILedgerSigner signer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signer);
        var key = signer.PublicKey;
        if (!IsValidKeyName(key.Name))
        {
            throw new ArgumentException("A key name must be non-empty, without spaces, '+' or control characters.", nameof(signer));
        }

        var body = checkpoint.ToNoteBody();
        var signature = await signer.SignAsync(Encoding.UTF8.GetBytes(body), ct).ConfigureAwait(false);
        var blob = new byte[KeyIdSize + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, key.KeyId);
        signature.CopyTo(blob, KeyIdSize);
        return $"{body}\n{SignaturePrefix}{key.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>
    /// Opens a signed note. Signatures from keys not in <paramref name="trustedKeys"/> (by name and key id) are
    /// ignored; every signature from a trusted key must verify, and at least one must be present.
    /// </summary>
    /// <returns><see langword="false"/> with the reason in <paramref name="error"/> when the note is not acceptable.</returns>
    public static bool TryOpen(string note, IReadOnlyCollection<LedgerPublicKey> trustedKeys, out Checkpoint? checkpoint, out string? error)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        checkpoint = null;
        error = CheckText(note);
        if (error is not null)
        {
            return false;
        }

        var separator = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (separator < 0)
        {
            error = "invalid format: no blank line before the signatures";
            return false;
        }

        if (separator + 2 >= note.Length)
        {
            error = "invalid format: no signature lines";
            return false;
        }

        var body = note[..(separator + 1)];
        if (!Checkpoint.TryParseBody(body, out var parsed, out var bodyError))
        {
            error = "invalid format: " + bodyError;
            return false;
        }

        var signatureLines = note[(separator + 2)..^1].Split('\n');
        if (signatureLines.Length > MaxSignatures)
        {
            error = $"invalid format: more than {MaxSignatures} signature lines";
            return false;
        }

        var message = Encoding.UTF8.GetBytes(body);
        var verified = 0;
        var unknown = 0;
        foreach (var line in signatureLines)
        {
            if (!TryParseSignatureLine(line, out var name, out var keyId, out var signature))
            {
                error = "invalid format: malformed signature line";
                return false;
            }

            var key = trustedKeys.FirstOrDefault(k => k.Name == name && k.KeyId == keyId);
            if (key is null)
            {
                unknown++;
                continue;
            }

            if (!Verify(key, message, signature))
            {
                error = $"signature verification failed for key {name}+{keyId:x8}";
                return false;
            }

            verified++;
        }

        if (verified == 0)
        {
            error = $"public key not found: none of the {unknown} signature(s) is from a trusted key";
            return false;
        }

        checkpoint = parsed;
        return true;
    }

    private static string? CheckText(string? note)
    {
        if (string.IsNullOrEmpty(note) || !note.EndsWith('\n'))
        {
            return "invalid format: a note must end with a newline";
        }

        foreach (var c in note)
        {
            if (c != '\n' && char.IsControl(c))
            {
                return "invalid format: control character in note";
            }
        }

        try
        {
            _ = StrictUtf8.GetByteCount(note);
        }
        catch (EncoderFallbackException)
        {
            return "invalid format: note is not valid UTF-8 text";
        }

        return null;
    }

    private static bool TryParseSignatureLine(string line, out string name, out uint keyId, out byte[] signature)
    {
        name = string.Empty;
        keyId = 0;
        signature = [];
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        name = rest[..space];
        var encoded = rest[(space + 1)..];
        var buffer = new byte[encoded.Length];
        if (!IsValidKeyName(name)
            || !Convert.TryFromBase64String(encoded, buffer, out var written)
            || written <= KeyIdSize)
        {
            return false;
        }

        keyId = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        signature = buffer[KeyIdSize..written];
        return true;
    }

    private static bool Verify(LedgerPublicKey key, byte[] message, byte[] signature)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            return ecdsa.KeySize == 256
                && ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsValidKeyName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => c == ' ' || c == '+' || char.IsControl(c));
}
