using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tenants.Testing;

/// <summary>Builds the body of a protocol message field by field.</summary>
internal sealed class PgMessageBuilder
{
    private readonly ArrayBufferWriter<byte> _body = new();

    public PgMessageBuilder CString(string value)
    {
        _body.Write(Encoding.UTF8.GetBytes(value));
        _body.Write([(byte)0]);
        return this;
    }

    public PgMessageBuilder Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_body.GetSpan(4), value);
        _body.Advance(4);
        return this;
    }

    public PgMessageBuilder Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_body.GetSpan(2), value);
        _body.Advance(2);
        return this;
    }

    public PgMessageBuilder Byte(byte value)
    {
        _body.Write([value]);
        return this;
    }

    public PgMessageBuilder Bytes(ReadOnlySpan<byte> value)
    {
        _body.Write(value);
        return this;
    }

    public byte[] Build(byte code) => PgMessage.Frame(code, _body.WrittenSpan);

    public byte[] BuildBody() => _body.WrittenSpan.ToArray();
}
