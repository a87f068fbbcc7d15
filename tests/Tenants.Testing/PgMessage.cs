using System.Buffers.Binary;
using System.Text;

namespace Tenants.Testing;

/// <summary>
/// One typed protocol message as seen on the wire: its code and its body (the bytes after the length field).
/// </summary>
public sealed record PgMessage(byte Code, byte[] Body)
{
    /// <summary>The code as a character, e.g. <c>'Q'</c>.</summary>
    public char Kind => (char)Code;

    /// <summary>The body as UTF-8 with NUL terminators shown as <c>|</c>; for messages and failure output.</summary>
    public string Text => Encoding.UTF8.GetString(Body).TrimEnd('\0').Replace('\0', '|');

    /// <summary>The first NUL-terminated string of the body (the SQL of a Query, the tag of a CommandComplete).</summary>
    public string FirstString
    {
        get
        {
            var end = Array.IndexOf(Body, (byte)0);
            return Encoding.UTF8.GetString(Body, 0, end < 0 ? Body.Length : end);
        }
    }

    /// <summary>The whole message as sent: code, length, body.</summary>
    public byte[] ToBytes() => Frame(Code, Body);

    /// <summary>Builds the bytes of a typed message: code, big-endian length (counting itself) and body.</summary>
    public static byte[] Frame(byte code, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[5 + body.Length];
        bytes[0] = code;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), 4 + body.Length);
        body.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    /// <summary>Reads the fields (code letter to value) of an ErrorResponse or NoticeResponse body.</summary>
    public IReadOnlyDictionary<char, string> Fields()
    {
        var fields = new Dictionary<char, string>();
        var position = 0;
        while (position < Body.Length && Body[position] != 0)
        {
            var field = (char)Body[position++];
            var end = Array.IndexOf(Body, (byte)0, position);
            if (end < 0)
            {
                break;
            }

            fields[field] = Encoding.UTF8.GetString(Body, position, end - position);
            position = end + 1;
        }

        return fields;
    }

    /// <summary>The SQLSTATE of an ErrorResponse or NoticeResponse, or null.</summary>
    public string? SqlState => Fields().GetValueOrDefault('C');

    public override string ToString() => Body.Length > 200 ? $"{Kind} ({Body.Length} bytes)" : $"{Kind} \"{Text}\"";
}
