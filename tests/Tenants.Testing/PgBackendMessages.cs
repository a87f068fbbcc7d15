using System.Text;
using Tenants.PgWire;

namespace Tenants.Testing;

/// <summary>
/// Builds the messages a PostgreSQL server sends, as raw bytes, for <see cref="PgServerFake"/> scripts. Text
/// columns use type oid 25 (<c>text</c>) and text format.
/// </summary>
public static class PgBackendMessages
{
    /// <summary>The oid of the <c>text</c> type.</summary>
    public const int TextTypeOid = 25;

    /// <summary>Any message: code and body.</summary>
    public static byte[] Message(byte code, ReadOnlySpan<byte> body) => PgMessage.Frame(code, body);

    /// <summary>Joins messages into one buffer, to be sent in one write.</summary>
    public static byte[] Concat(params byte[][] messages) => messages.SelectMany(m => m).ToArray();

    public static byte[] AuthenticationOk() => Authentication(0);

    /// <summary>An Authentication request with the given code (0 ok, 3 cleartext, 5 MD5, 10 SASL ...) and extra bytes.</summary>
    public static byte[] Authentication(int code, ReadOnlySpan<byte> extra = default) =>
        new PgMessageBuilder().Int32(code).Bytes(extra).Build(BackendMessageCode.Authentication);

    public static byte[] ParameterStatus(string name, string value) =>
        new PgMessageBuilder().CString(name).CString(value).Build(BackendMessageCode.ParameterStatus);

    public static byte[] BackendKeyData(int processId, int secretKey) =>
        new PgMessageBuilder().Int32(processId).Int32(secretKey).Build(BackendMessageCode.BackendKeyData);

    /// <summary>ReadyForQuery with a transaction status: <c>I</c> idle, <c>T</c> in a transaction, <c>E</c> failed transaction.</summary>
    public static byte[] ReadyForQuery(char status = 'I') =>
        new PgMessageBuilder().Byte((byte)status).Build(BackendMessageCode.ReadyForQuery);

    /// <summary>RowDescription for text columns with these names.</summary>
    public static byte[] RowDescription(params string[] columns)
    {
        var builder = new PgMessageBuilder().Int16(checked((short)columns.Length));
        foreach (var column in columns)
        {
            builder.CString(column).Int32(0).Int16(0).Int32(TextTypeOid).Int16(-1).Int32(-1).Int16(0);
        }

        return builder.Build(BackendMessageCode.RowDescription);
    }

    /// <summary>DataRow with text values; null is SQL NULL.</summary>
    public static byte[] DataRow(params string?[] values)
    {
        var builder = new PgMessageBuilder().Int16(checked((short)values.Length));
        foreach (var value in values)
        {
            if (value is null)
            {
                builder.Int32(-1);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            builder.Int32(bytes.Length).Bytes(bytes);
        }

        return builder.Build(BackendMessageCode.DataRow);
    }

    /// <summary>CommandComplete with a tag such as <c>SELECT 3</c>, <c>INSERT 0 5</c> or <c>BEGIN</c>.</summary>
    public static byte[] CommandComplete(string tag) => new PgMessageBuilder().CString(tag).Build(BackendMessageCode.CommandComplete);

    public static byte[] EmptyQueryResponse() => Message(BackendMessageCode.EmptyQueryResponse, []);

    /// <summary>ErrorResponse with severity, SQLSTATE and message (fields S, V, C, M).</summary>
    public static byte[] ErrorResponse(string sqlState, string message, string severity = "ERROR") =>
        Fields(BackendMessageCode.ErrorResponse, severity, sqlState, message);

    /// <summary>NoticeResponse with severity, SQLSTATE and message (fields S, V, C, M).</summary>
    public static byte[] NoticeResponse(string message, string sqlState = "00000", string severity = "NOTICE") =>
        Fields(BackendMessageCode.NoticeResponse, severity, sqlState, message);

    /// <summary>NotificationResponse: what LISTEN delivers when another session runs NOTIFY.</summary>
    public static byte[] NotificationResponse(int processId, string channel, string payload) =>
        new PgMessageBuilder().Int32(processId).CString(channel).CString(payload).Build(BackendMessageCode.NotificationResponse);

    /// <summary>CopyOutResponse in text format with this many columns.</summary>
    public static byte[] CopyOutResponse(int columns)
    {
        var builder = new PgMessageBuilder().Byte(0).Int16(checked((short)columns));
        for (var i = 0; i < columns; i++)
        {
            builder.Int16(0);
        }

        return builder.Build(BackendMessageCode.CopyOutResponse);
    }

    public static byte[] CopyData(string text) => Message(BackendMessageCode.CopyData, Encoding.UTF8.GetBytes(text));

    public static byte[] CopyDone() => Message(BackendMessageCode.CopyDone, []);

    public static byte[] ParseComplete() => Message(BackendMessageCode.ParseComplete, []);

    public static byte[] BindComplete() => Message(BackendMessageCode.BindComplete, []);

    public static byte[] CloseComplete() => Message(BackendMessageCode.CloseComplete, []);

    public static byte[] NoData() => Message(BackendMessageCode.NoData, []);

    public static byte[] PortalSuspended() => Message(BackendMessageCode.PortalSuspended, []);

    /// <summary>A header announcing <paramref name="length"/> (which may be invalid) followed by <paramref name="body"/>.</summary>
    public static byte[] Header(byte code, int length, ReadOnlySpan<byte> body = default)
    {
        var bytes = new byte[5 + body.Length];
        bytes[0] = code;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), length);
        body.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    private static byte[] Fields(byte code, string severity, string sqlState, string message) =>
        new PgMessageBuilder()
            .Byte((byte)'S').CString(severity)
            .Byte((byte)'V').CString(severity)
            .Byte((byte)'C').CString(sqlState)
            .Byte((byte)'M').CString(message)
            .Byte(0)
            .Build(code);
}
