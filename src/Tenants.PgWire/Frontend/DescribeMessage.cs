using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Describe: of a prepared statement (<c>S</c>) or a portal (<c>P</c>), by name.</summary>
public readonly record struct DescribeMessage(byte Kind, string Name)
{
    public const byte Statement = (byte)'S';

    public const byte Portal = (byte)'P';

    public static bool TryParse(in ReadOnlySequence<byte> body, out DescribeMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        message = default;
        if (!reader.TryRead(out var kind) || kind is not (Statement or Portal) || !PgReader.TryReadCString(ref reader, out var name))
        {
            return false;
        }

        message = new DescribeMessage(kind, name);
        return true;
    }
}
