using System.Buffers.Binary;

namespace Tenants.Edge.Tests.Proxy.Fuzz;

/// <summary>
/// Mutates protocol bytes the way a broken or hostile peer would: bit flips, truncation, a length field set to a
/// huge, negative or small value, a random type byte, garbage appended. Everything comes from one seeded
/// <see cref="Random"/>, so a failing case is reproduced by its seed and index.
/// </summary>
internal sealed class FrameMutator(Random random, int maxMessageSize)
{
    /// <summary>
    /// Returns a mutated copy of <paramref name="frame"/> and what was done. <paramref name="lengthOffset"/> is where
    /// the 32-bit length field sits (0 for a startup packet, 1 for a typed message); <paramref name="codeOffset"/> is
    /// where the type byte sits, or -1 when there is none.
    /// </summary>
    public (byte[] Bytes, string Description) Mutate(byte[] frame, int lengthOffset, int codeOffset)
    {
        var bytes = frame.ToArray();
        var steps = new List<string>();
        var count = random.Next(1, 3);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(codeOffset < 0 ? 6 : 7))
            {
                case 0:
                    var flips = random.Next(1, 4);
                    for (var f = 0; f < flips && bytes.Length > 0; f++)
                    {
                        var at = random.Next(bytes.Length);
                        var bit = random.Next(8);
                        bytes[at] ^= (byte)(1 << bit);
                        steps.Add($"flip byte {at} bit {bit}");
                    }

                    break;
                case 1:
                    var keep = random.Next(bytes.Length);
                    bytes = bytes[..keep];
                    steps.Add($"truncate to {keep}");
                    break;
                case 2:
                case 3:
                    if (bytes.Length >= lengthOffset + 4)
                    {
                        var length = PickLength(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(lengthOffset)));
                        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(lengthOffset), length);
                        steps.Add($"length {length}");
                    }

                    break;
                case 4:
                    var garbage = new byte[random.Next(1, 48)];
                    random.NextBytes(garbage);
                    bytes = [.. bytes, .. garbage];
                    steps.Add($"append {garbage.Length} random bytes");
                    break;
                case 5:
                    bytes = [.. bytes, .. frame];
                    steps.Add("append the original again");
                    break;
                default:
                    if (bytes.Length > codeOffset)
                    {
                        bytes[codeOffset] = (byte)random.Next(256);
                        steps.Add($"code 0x{bytes[codeOffset]:X2}");
                    }

                    break;
            }
        }

        return (bytes, string.Join("; ", steps));
    }

    private int PickLength(int original) => random.Next(9) switch
    {
        0 => int.MaxValue,
        1 => 1 << 30,
        2 => maxMessageSize + random.Next(1, 1 << 16),
        3 => -random.Next(1, int.MaxValue),
        4 => int.MinValue,
        5 => random.Next(0, 8),
        6 => original + random.Next(-16, 17),
        7 => maxMessageSize,
        _ => random.Next(),
    };
}
