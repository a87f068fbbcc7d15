using System.Buffers;
using System.Buffers.Binary;
using Tenants.PgWire.Backend;

namespace Tenants.PgWire.Tests.Backend;

public sealed class ErrorResponseWriterTests
{
    [Fact]
    public void Write_ThenParse_GivesBackSeveritySqlStateAndMessage()
    {
        var writer = new ArrayBufferWriter<byte>();
        ErrorResponseWriter.Write(writer, "FATAL", PostgresErrorCodes.ProtocolViolation, "bad frame — é", "fix it");
        var bytes = writer.WrittenSpan.ToArray();

        Assert.Equal(BackendMessageCode.ErrorResponse, bytes[0]);
        Assert.Equal(bytes.Length - 1, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        Assert.True(ErrorResponseMessage.TryParse(new ReadOnlySequence<byte>(bytes, 5, bytes.Length - 5), out var parsed));
        Assert.Equal(new ErrorResponseMessage("FATAL", "08P01", "bad frame — é"), parsed);
    }

    [Theory]
    [InlineData("SELECT 3", 3L)]
    [InlineData("INSERT 0 5", 5L)]
    [InlineData("CREATE TABLE", null)]
    public void CommandComplete_Rows_AreTheTagsLastNumber(string tag, long? rows)
    {
        Assert.Equal(rows, new CommandCompleteMessage(tag).Rows);
    }
}
