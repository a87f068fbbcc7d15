using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.PgWire.Tests.Backend;

public sealed class RowMessagesTests
{
    [Fact]
    public void RowDescription_GivesNameTableAttributeTypeAndFormatPerField()
    {
        var body = new ArrayBufferWriter<byte>();
        WriteInt16(body, 2);
        WriteField(body, "e", 16385, 2, 25, 1);
        WriteField(body, "lower", 0, 0, 25, 0);

        Assert.True(RowDescriptionMessage.TryParse(new ReadOnlySequence<byte>(body.WrittenMemory), out var message));
        Assert.Equal([new RowField("e", 16385, 2, 25, 1), new RowField("lower", 0, 0, 25, 0)], message!.Fields);
        Assert.False(RowDescriptionMessage.TryParse(new ReadOnlySequence<byte>(body.WrittenMemory[..^3]), out _));
    }

    [Fact]
    public void DataRow_WriteThenParse_KeepsValuesAndNulls_AndACutRowIsRefused()
    {
        var writer = new ArrayBufferWriter<byte>();
        DataRowMessage.Write(writer, [Encoding.UTF8.GetBytes("***"), null, []]);
        var bytes = writer.WrittenSpan.ToArray();

        Assert.Equal(BackendMessageCode.DataRow, bytes[0]);
        Assert.Equal(bytes.Length - 1, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        var values = new List<byte[]?>();
        Assert.True(DataRowMessage.TryParse(new ReadOnlySequence<byte>(bytes, 5, bytes.Length - 5), values));
        Assert.Equal([Encoding.UTF8.GetBytes("***"), null, []], values);
        Assert.False(DataRowMessage.TryParse(new ReadOnlySequence<byte>(bytes, 5, bytes.Length - 7), []));
    }

    [Fact]
    public void QueryWriter_AndDescribe_RoundTrip()
    {
        var query = QueryMessageWriter.Create("select 'é'");
        Assert.True(QueryMessage.TryParse(new ReadOnlySequence<byte>(query, 5, query.Length - 5), out var parsed));
        Assert.Equal("select 'é'", parsed.Sql);

        Assert.True(DescribeMessage.TryParse(new ReadOnlySequence<byte>([(byte)'S', (byte)'s', (byte)'1', 0]), out var describe));
        Assert.Equal(new DescribeMessage(DescribeMessage.Statement, "s1"), describe);
        Assert.False(DescribeMessage.TryParse(new ReadOnlySequence<byte>([(byte)'X', 0]), out _));
    }

    private static void WriteField(ArrayBufferWriter<byte> body, string name, int table, short attnum, int type, short format)
    {
        body.Write(Encoding.UTF8.GetBytes(name + "\0"));
        WriteInt32(body, table);
        WriteInt16(body, attnum);
        WriteInt32(body, type);
        WriteInt16(body, -1);
        WriteInt32(body, -1);
        WriteInt16(body, format);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> body, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(body.GetSpan(4), value);
        body.Advance(4);
    }

    private static void WriteInt16(ArrayBufferWriter<byte> body, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(body.GetSpan(2), value);
        body.Advance(2);
    }
}
