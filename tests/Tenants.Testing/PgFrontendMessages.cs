using System.Buffers.Binary;
using Tenants.PgWire;

namespace Tenants.Testing;

/// <summary>Builds the messages a PostgreSQL client sends, as raw bytes, for tests that speak the protocol by hand.</summary>
public static class PgFrontendMessages
{
    /// <summary>A protocol 3.0 StartupMessage with these parameters, in this order.</summary>
    public static byte[] Startup(params (string Name, string Value)[] parameters)
    {
        var builder = new PgMessageBuilder().Int32(ProtocolCodes.Version30);
        foreach (var (name, value) in parameters)
        {
            builder.CString(name).CString(value);
        }

        var body = builder.Byte(0).BuildBody();
        var bytes = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length);
        body.CopyTo(bytes, 4);
        return bytes;
    }

    public static byte[] SslRequest() => Untyped(ProtocolCodes.SslRequest, []);

    /// <summary>A CancelRequest quoting <paramref name="key"/>: process id then secret key, as BackendKeyData gave them.</summary>
    public static byte[] CancelRequest(ReadOnlySpan<byte> key) => Untyped(ProtocolCodes.CancelRequest, key);

    public static byte[] Query(string sql) => new PgMessageBuilder().CString(sql).Build(FrontendMessageCode.Query);

    public static byte[] Parse(string statement, string sql) =>
        new PgMessageBuilder().CString(statement).CString(sql).Int16(0).Build(FrontendMessageCode.Parse);

    /// <summary>Bind with no parameters and text results.</summary>
    public static byte[] Bind(string portal, string statement) =>
        new PgMessageBuilder().CString(portal).CString(statement).Int16(0).Int16(0).Int16(0).Build(FrontendMessageCode.Bind);

    /// <summary>Describe a statement (<c>S</c>) or portal (<c>P</c>).</summary>
    public static byte[] Describe(char kind, string name) =>
        new PgMessageBuilder().Byte((byte)kind).CString(name).Build(FrontendMessageCode.Describe);

    public static byte[] Execute(string portal, int maxRows = 0) =>
        new PgMessageBuilder().CString(portal).Int32(maxRows).Build(FrontendMessageCode.Execute);

    /// <summary>Close a statement (<c>S</c>) or portal (<c>P</c>).</summary>
    public static byte[] Close(char kind, string name) =>
        new PgMessageBuilder().Byte((byte)kind).CString(name).Build(FrontendMessageCode.Close);

    public static byte[] Sync() => PgMessage.Frame(FrontendMessageCode.Sync, []);

    public static byte[] Flush() => PgMessage.Frame(FrontendMessageCode.Flush, []);

    public static byte[] Terminate() => PgMessage.Frame(FrontendMessageCode.Terminate, []);

    public static byte[] CopyData(ReadOnlySpan<byte> data) => PgMessage.Frame(FrontendMessageCode.CopyData, data);

    public static byte[] CopyDone() => PgMessage.Frame(FrontendMessageCode.CopyDone, []);

    /// <summary>Parse, Bind and Execute of one unnamed statement, as a client pipelines them.</summary>
    public static byte[] ParseBindExecute(string sql) => PgBackendMessages.Concat(Parse(string.Empty, sql), Bind(string.Empty, string.Empty), Execute(string.Empty));

    private static byte[] Untyped(int code, ReadOnlySpan<byte> rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), code);
        rest.CopyTo(bytes.AsSpan(8));
        return bytes;
    }
}
