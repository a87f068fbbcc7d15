using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Tests.Proxy;

public sealed class MessagePumpTests
{
    private static byte[] Message(byte code, string body)
    {
        var payload = Encoding.UTF8.GetBytes(body + "\0");
        var bytes = new byte[5 + payload.Length];
        bytes[0] = code;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), 4 + payload.Length);
        payload.CopyTo(bytes, 5);
        return bytes;
    }

    private static async Task<(PumpResult Result, byte[] Forwarded, RecordingObserver Observer, MessagePump Pump)> RunAsync(
        IEnumerable<byte[]> writes, int maxMessageSize = 1 << 20, int maxCapture = 1 << 20)
    {
        var input = new Pipe();
        var output = new Pipe();
        var observer = new RecordingObserver();
        var pump = new MessagePump(input.Reader, output.Writer, observer, maxMessageSize, maxCapture);
        var run = pump.RunAsync(CancellationToken.None);
        var forwarded = new MemoryStream();
        var drain = output.Reader.CopyToAsync(forwarded);
        foreach (var chunk in writes)
        {
            await input.Writer.WriteAsync(chunk);
        }

        await input.Writer.CompleteAsync();
        var result = await run;
        await output.Writer.CompleteAsync();
        await drain;
        return (result, forwarded.ToArray(), observer, pump);
    }

    [Fact]
    public async Task Run_MessagesSplitAtEveryByte_ForwardsThemUnchangedAndInOrder()
    {
        byte[] terminate = [(byte)'X', 0, 0, 0, 4];
        var stream = Message((byte)'Q', "select 1").Concat(terminate).ToArray();
        var (result, forwarded, observer, pump) = await RunAsync(stream.Select(b => new[] { b }));

        Assert.Equal(PumpResult.Completed, result);
        Assert.Equal(stream, forwarded);
        Assert.Equal([('Q', "select 1\0"), ('X', string.Empty)], observer.Seen);
        Assert.Equal(2, pump.Messages);
    }

    [Fact]
    public async Task Run_BodyLargerThanCaptureLimit_IsForwardedWholeButCapturedCut()
    {
        var sql = new string('x', 10_000);
        var message = Message((byte)'Q', sql);
        var (_, forwarded, observer, _) = await RunAsync(message.Chunk(333), maxCapture: 100);

        Assert.Equal(message, forwarded);
        var seen = Assert.Single(observer.Seen);
        Assert.Equal(100, seen.Body.Length);
        Assert.True(observer.Truncated.Single());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task Run_InvalidLength_StopsWithoutForwardingThatMessage(int length)
    {
        var good = Message((byte)'Q', "select 1");
        var bad = new byte[9];
        bad[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(1), length);

        var (result, forwarded, _, pump) = await RunAsync([good, bad]);

        Assert.Equal(PumpResult.ProtocolViolation, result);
        Assert.Equal(good, forwarded);
        Assert.Equal(length, pump.InvalidLength);
    }

    [Fact]
    public async Task Run_MessageToRewriteSplitAcrossReads_IsReplacedWhole()
    {
        var query = Message((byte)'Q', "select 1");
        var auth = Message((byte)'R', "abc");
        var (result, forwarded, _, _) = await RunAsync([query, auth[..3], auth[3..], query]);

        Assert.Equal(PumpResult.Completed, result);
        Assert.Equal(query.Concat("R-rewritten"u8.ToArray()).Concat(query).ToArray(), forwarded);
    }

    [Fact]
    public async Task Run_StreamedBodyLargerThanAnyBuffer_ArrivesWholeInChunks()
    {
        var data = Message((byte)'d', new string('z', 200_000));
        var (_, forwarded, observer, _) = await RunAsync(data.Chunk(4096));

        Assert.Equal(data, forwarded);
        Assert.Equal(data[5..], observer.Streamed);
    }

    [Fact]
    public async Task Run_ClosedMidMessage_ReportsTruncation()
    {
        var message = Message((byte)'Q', "select 1");
        var (result, _, observer, _) = await RunAsync([message[..7]]);

        Assert.Equal(PumpResult.Truncated, result);
        Assert.Empty(observer.Seen);
    }

    private sealed class RecordingObserver : IMessageObserver
    {
        public List<(char Code, string Body)> Seen { get; } = [];

        public List<bool> Truncated { get; } = [];

        public bool WantsBody(byte code) => code == (byte)'Q';

        public List<byte> Streamed { get; } = [];

        public bool StreamsBody(byte code) => code == (byte)'d';

        public void OnBodyChunk(in ReadOnlySequence<byte> chunk) => Streamed.AddRange(chunk.ToArray());

        public bool Rewrites(byte code) => code == (byte)'R';

        public void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output) => output.Write("R-rewritten"u8);

        public void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated)
        {
            Seen.Add(((char)code, Encoding.UTF8.GetString(body)));
            Truncated.Add(truncated);
        }
    }
}
