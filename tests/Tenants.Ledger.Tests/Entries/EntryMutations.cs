using System.Text;

namespace Tenants.Ledger.Tests.Entries;

/// <summary>
/// Random small edits of a real entry (one or two bytes removed, inserted or replaced, drawn from JSON's structural
/// characters, digits, literal letters, whitespace, a control character and a non-ASCII letter), for tests that compare
/// a fast reader with the full one on inputs near the valid ones.
/// </summary>
internal static class EntryMutations
{
    private const string Alphabet = "{}[]\",:\\/ 0123456789-+.eEtrufalsnu\t\u0001é";

    /// <summary><paramref name="count"/> mutations of <paramref name="original"/>, the same ones for the same seed.</summary>
    public static IEnumerable<byte[]> Of(byte[] original, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var bytes = new List<byte>(original);
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                var replacement = Encoding.UTF8.GetBytes(Alphabet[random.Next(Alphabet.Length)].ToString());
                switch (random.Next(3))
                {
                    case 0:
                        bytes.RemoveAt(at);
                        break;
                    case 1:
                        bytes.InsertRange(at, replacement);
                        break;
                    default:
                        bytes.RemoveAt(at);
                        bytes.InsertRange(at, replacement);
                        break;
                }
            }

            yield return bytes.ToArray();
        }
    }
}
