using System.Buffers;

namespace Tenants.PgWire;

/// <summary>The five bytes that open every typed message: its code and its length (which counts itself).</summary>
public readonly record struct MessageHeader(byte Code, int Length)
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 5;

    /// <summary>Bytes of the body after the length field.</summary>
    public int BodyLength => Length - 4;

    /// <summary>Bytes of the whole message on the wire.</summary>
    public long TotalLength => 1L + Length;

    /// <summary>Reads a header without consuming it; false when fewer than five bytes are there.</summary>
    public static bool TryPeek(in ReadOnlySequence<byte> buffer, out MessageHeader header)
    {
        header = default;
        if (buffer.Length < Size)
        {
            return false;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.TryRead(out var code);
        reader.TryReadBigEndian(out int length);
        header = new MessageHeader(code, length);
        return true;
    }
}
