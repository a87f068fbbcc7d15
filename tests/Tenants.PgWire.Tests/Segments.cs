using System.Buffers;

namespace Tenants.PgWire.Tests;

/// <summary>Builds multi-segment sequences so parsers are tested across segment boundaries.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentLength)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += segmentLength)
        {
            var chunk = bytes.AsMemory(i, Math.Min(segmentLength, bytes.Length - i));
            if (first is null)
            {
                first = last = new Segment(chunk, 0);
            }
            else
            {
                last = last!.Append(chunk);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
