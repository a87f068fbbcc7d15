using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tenants.PgWire.Backend;

/// <summary>Writes the ErrorResponse the proxy itself sends (severity FATAL or ERROR with a real SQLSTATE).</summary>
public static class ErrorResponseWriter
{
    public static void Write(IBufferWriter<byte> writer, string severity, string sqlState, string message, string? hint = null)
    {
        // code(1) + length(4) + S,V,C,M[,H] fields (1 + value + NUL each) + terminating NUL
        var length = 4 + 1;
        length += Field(severity) * 2 + Field(sqlState) + Field(message) + (hint is null ? 0 : Field(hint));

        var span = writer.GetSpan(1 + length);
        span[0] = BackendMessageCode.ErrorResponse;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        var position = 5;
        position = Put(span, position, (byte)'S', severity);
        position = Put(span, position, (byte)'V', severity);
        position = Put(span, position, (byte)'C', sqlState);
        position = Put(span, position, (byte)'M', message);
        if (hint is not null)
        {
            position = Put(span, position, (byte)'H', hint);
        }

        span[position] = 0;
        writer.Advance(1 + length);

        static int Field(string value) => 1 + Encoding.UTF8.GetByteCount(value) + 1;
    }

    private static int Put(Span<byte> span, int position, byte field, string value)
    {
        span[position++] = field;
        position += Encoding.UTF8.GetBytes(value, span[position..]);
        span[position++] = 0;
        return position;
    }
}
