using System.Buffers;
using System.Buffers.Binary;
using Tenants.PgWire.Frontend;

namespace Tenants.PgWire.Tests.Frontend;

public sealed class StartupPacketReaderTests
{
    private static byte[] Startup(params (string Name, string Value)[] parameters)
    {
        var writer = new ArrayBufferWriter<byte>();
        StartupMessageWriter.Write(writer, ProtocolCodes.Version30, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Packet(int length, int code, int extra = 0)
    {
        var bytes = new byte[8 + extra];
        BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), code);
        return bytes;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void TryRead_StartupAcrossSegments_ReadsParametersInOrder(int segmentLength)
    {
        var bytes = Startup(("user", "alice"), ("database", "shop"), ("options", "-c search_path=x endpoint=e1"));
        var reader = new SequenceReader<byte>(Segments.Split(bytes, segmentLength));

        var status = StartupPacketReader.TryRead(ref reader, out var packet);

        Assert.Equal(StartupParseStatus.Complete, status);
        Assert.Equal(StartupPacketKind.Startup, packet!.Kind);
        Assert.Equal(ProtocolCodes.Version30, packet.ProtocolVersion);
        Assert.Equal(["user", "database", "options"], packet.Parameters.Select(p => p.Key));
        Assert.Equal("-c search_path=x endpoint=e1", packet.GetParameter("options"));
        Assert.Equal(bytes.Length, reader.Consumed);
    }

    [Fact]
    public void TryRead_PartialPacket_NeedsMoreDataAndConsumesNothing()
    {
        var bytes = Startup(("user", "alice"));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1));

        Assert.Equal(StartupParseStatus.NeedMoreData, StartupPacketReader.TryRead(ref reader, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Theory]
    [InlineData(ProtocolCodes.SslRequest, StartupPacketKind.SslRequest)]
    [InlineData(ProtocolCodes.GssEncRequest, StartupPacketKind.GssEncRequest)]
    public void TryRead_EncryptionRequests_AreRecognised(int code, StartupPacketKind kind)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Packet(8, code)));

        Assert.Equal(StartupParseStatus.Complete, StartupPacketReader.TryRead(ref reader, out var packet));
        Assert.Equal(kind, packet!.Kind);
    }

    [Fact]
    public void TryRead_CancelRequest_KeepsProcessIdAndKey()
    {
        var bytes = Packet(16, ProtocolCodes.CancelRequest, extra: 8);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 4242);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 777);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(StartupParseStatus.Complete, StartupPacketReader.TryRead(ref reader, out var packet));
        Assert.Equal(StartupPacketKind.CancelRequest, packet!.Kind);
        Assert.Equal(bytes.AsSpan(8).ToArray(), packet.CancelKey.ToArray());
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-5)]
    [InlineData(7)]
    [InlineData(ProtocolCodes.MaxStartupPacketLength + 1)]
    public void TryRead_AbsurdLength_IsInvalidWithoutWaitingForTheBytes(int length)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Packet(length, ProtocolCodes.Version30)));

        Assert.Equal(StartupParseStatus.Invalid, StartupPacketReader.TryRead(ref reader, out var packet));
        Assert.Contains("invalid length", packet!.Error);
    }

    [Fact]
    public void TryRead_UnsupportedProtocolVersion_IsInvalidWithReason()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Packet(9, 2 << 16, extra: 1)));

        Assert.Equal(StartupParseStatus.Invalid, StartupPacketReader.TryRead(ref reader, out var packet));
        Assert.Contains("unsupported frontend protocol 2.0", packet!.Error);
    }

    [Fact]
    public void TryRead_UnterminatedParameters_IsInvalid()
    {
        var bytes = Packet(13, ProtocolCodes.Version30, extra: 5);
        "user\0"u8.CopyTo(bytes.AsSpan(8));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(StartupParseStatus.Invalid, StartupPacketReader.TryRead(ref reader, out _));
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrows()
    {
        var random = new Random(1234);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length >= 8 && random.Next(2) == 0)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length);
            }

            var reader = new SequenceReader<byte>(Segments.Split(bytes, random.Next(1, 8)));
            _ = StartupPacketReader.TryRead(ref reader, out _);
        }
    }
}
