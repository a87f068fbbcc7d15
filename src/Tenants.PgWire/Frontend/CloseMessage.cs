using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Close: forget a prepared statement ('S') or a portal ('P').</summary>
public readonly record struct CloseMessage(byte Kind, string Name)
{
    public const byte Statement = (byte)'S';
    public const byte Portal = (byte)'P';

    public static bool TryParse(in ReadOnlySequence<byte> body, out CloseMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = reader.TryRead(out var kind) & PgReader.TryReadCString(ref reader, out var name);
        message = new CloseMessage(kind, name);
        return ok && kind is Statement or Portal;
    }
}
