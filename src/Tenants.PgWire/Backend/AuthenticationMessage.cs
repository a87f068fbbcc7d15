using System.Buffers;

namespace Tenants.PgWire.Backend;

/// <summary>The request code of an Authentication message (0 = AuthenticationOk).</summary>
public readonly record struct AuthenticationMessage(int Code)
{
    public const int Ok = 0;
    public const int CleartextPassword = 3;
    public const int Md5Password = 5;
    public const int Sasl = 10;
    public const int SaslContinue = 11;
    public const int SaslFinal = 12;

    public static bool TryParse(in ReadOnlySequence<byte> body, out AuthenticationMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = reader.TryReadBigEndian(out int code);
        message = new AuthenticationMessage(code);
        return ok;
    }
}
