using System.Text;
using Tenants.Ledger.Entries;

namespace Tenants.Ledger.Tests.Entries;

/// <summary>
/// The verifier's allocation-free header match must agree with the full reader: checked on hand-picked JSON edge cases
/// in the event object and on thousands of random mutations of real entries.
/// </summary>
public sealed class LedgerEntryMatchTests
{
    private const string Prefix = """{"v":1,"origin":"o","tenant":"t","index":7,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":""";

    [Theory]
    [InlineData("""{}}""", true)]
    [InlineData(""" { "a" : [ 1 , -0.5e+3 , true , false , null , "x\"\\\/\b\f\n\r\t\u00e9" , { } , [ ] ] } }""", true)]
    [InlineData("""{"a":1} } """, false)]
    [InlineData("""{"a":01}}""", false)]
    [InlineData("""{"a":1.}}""", false)]
    [InlineData("""{"a":.5}}""", false)]
    [InlineData("""{"a":-}}""", false)]
    [InlineData("""{"a":1e}}""", false)]
    [InlineData("""{"a":+1}}""", false)]
    [InlineData("""{"a":tru}}""", false)]
    [InlineData("""{"a":nul}}""", false)]
    [InlineData("""{"a":[1,]}}""", false)]
    [InlineData("""{"a":1,}}""", false)]
    [InlineData("""{"a" 1}}""", false)]
    [InlineData("""{a:1}}""", false)]
    [InlineData("""{"a":"\x"}}""", false)]
    [InlineData("""{"a":"\u12g4"}}""", false)]
    [InlineData("""{"a":'x'}}""", false)]
    [InlineData("""{"a":1}/**/}""", false)]
    [InlineData("""{"a":1}},""", false)]
    [InlineData("""{"a":1}}}""", false)]
    [InlineData("""{"a":1}""", false)]
    [InlineData("""{"a":[1}}""", false)]
    [InlineData("""{"a":"unterminated}}""", false)]
    [InlineData("""[]}""", false)]
    public void TryMatchHeader_EventEdgeCases_AgreesWithTheFullReader(string eventAndClose, bool valid)
    {
        var entry = Encoding.UTF8.GetBytes(Prefix + eventAndClose);

        var full = LedgerEntryReader.TryReadHeader(entry, out _, out var error);
        var fast = LedgerEntryReader.TryMatchHeader(entry, "o"u8, "t"u8, out var index);

        Assert.Equal(valid, full);
        Assert.Equal(full, fast);
        Assert.Equal(valid ? 7 : -1, index);
        Assert.True(valid || error is not null);
    }

    [Fact]
    public void TryMatchHeader_ControlCharacterInAString_IsRejectedLikeTheFullReader()
    {
        var control = Encoding.UTF8.GetBytes(Prefix + "{\"a\":\"x\ty\"}}");

        Assert.False(LedgerEntryReader.TryMatchHeader(control, "o"u8, "t"u8, out _));
        Assert.False(LedgerEntryReader.TryReadHeader(control, out _, out _));
    }

    [Fact]
    public void TryMatchHeader_DeeplyNestedEvent_NeverAcceptsWhatTheReaderRejects()
    {
        foreach (var depth in new[] { 10, 59, 60, 61, 62, 63, 64, 100 })
        {
            var entry = Encoding.UTF8.GetBytes(Prefix + "{\"a\":" + new string('[', depth) + new string(']', depth) + "}}");
            if (LedgerEntryReader.TryMatchHeader(entry, "o"u8, "t"u8, out _))
            {
                Assert.True(LedgerEntryReader.TryReadHeader(entry, out _, out var error), $"depth {depth}: {error}");
            }
        }
    }

    [Fact]
    public void TryMatchHeader_RandomMutationsOfRealEntries_NeverAcceptsWhatTheReaderRejects()
    {
        var header = new LedgerEntryHeader("ledger.example/t", "t", 123, new DateTimeOffset(2026, 11, 23, 9, 25, 31, TimeSpan.Zero), "statement");
        var original = LedgerEntryWriter.Write(header, w =>
        {
            w.WriteString("sql", "SELECT \"a\", 'b' FROM t WHERE x = $1 -- é");
            w.WriteStartArray("parameters");
            w.WriteStringValue("42");
            w.WriteNullValue();
            w.WriteEndArray();
            w.WriteNumber("rows", -12);
            w.WriteBoolean("ok", true);
        });
        var accepted = 0;
        foreach (var entry in EntryMutations.Of(original, seed: 9162, count: 20_000))
        {
            if (LedgerEntryReader.TryMatchHeader(entry, "ledger.example/t"u8, "t"u8, out var index))
            {
                accepted++;
                Assert.True(LedgerEntryReader.TryReadHeader(entry, out var read, out var error), $"{Encoding.UTF8.GetString(entry)}: {error}");
                Assert.Equal((read.Origin, read.TenantId, read.LeafIndex), ("ledger.example/t", "t", index));
            }
        }

        Assert.InRange(accepted, 100, 19_900); // the mutations reach both verdicts
    }
}
