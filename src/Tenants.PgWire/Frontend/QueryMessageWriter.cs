using System.Buffers.Binary;
using System.Text;

namespace Tenants.PgWire.Frontend;

/// <summary>Writes a simple-protocol Query message.</summary>
public static class QueryMessageWriter
{
    /// <summary>The whole message (header included) for <paramref name="sql"/>.</summary>
    public static byte[] Create(string sql)
    {
        var length = 4 + Encoding.UTF8.GetByteCount(sql) + 1;
        var message = new byte[1 + length];
        message[0] = FrontendMessageCode.Query;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), length);
        Encoding.UTF8.GetBytes(sql, message.AsSpan(5));
        return message;
    }
}
