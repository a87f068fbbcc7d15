using System.Text;
using Tenants.Ledger.Entries;

namespace Tenants.Ledger.Tests.Entries;

public sealed class LedgerEntryTests
{
    private static readonly LedgerEntryHeader Header = new(
        "ledger.example/tenants/t1", "t1", 42, new DateTimeOffset(2026, 11, 23, 10, 25, 31, TimeSpan.FromHours(1)).AddTicks(1234567), "statement");

    [Fact]
    public void Write_Header_ProducesCanonicalCompactJson()
    {
        var entry = LedgerEntryWriter.Write(Header, w =>
        {
            w.WriteString("sql", "SELECT 1");
            w.WriteNumber("rows", 1);
        });

        Assert.Equal(
            """{"v":1,"origin":"ledger.example/tenants/t1","tenant":"t1","index":42,"time":"2026-11-23T09:25:31.123456Z","kind":"statement","event":{"sql":"SELECT 1","rows":1}}""",
            Encoding.UTF8.GetString(entry));
    }

    [Fact]
    public void Write_NonAsciiAndHtmlCharacters_AreEscaped()
    {
        var entry = LedgerEntryWriter.Write(Header, w => w.WriteString("sql", "SELECT 'é' <b> & \n"));

        var text = Encoding.UTF8.GetString(entry);
        Assert.Contains("""SELECT \u0027\u00E9\u0027 \u003Cb\u003E \u0026 \n""", text, StringComparison.Ordinal);
        Assert.All(entry, b => Assert.True(b is >= 0x20 and < 0x7f));
    }

    [Fact]
    public void Write_EmptyEvent_WritesEmptyObject()
    {
        var entry = LedgerEntryWriter.Write(Header, _ => { });

        Assert.EndsWith("\"event\":{}}", Encoding.UTF8.GetString(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnbalancedCallback_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => LedgerEntryWriter.Write(Header, w => w.WriteStartObject("nested")));
    }

    [Fact]
    public void TryReadHeader_WrittenEntry_RoundTrips()
    {
        var entry = LedgerEntryWriter.Write(Header, w => w.WriteString("sql", "SELECT 1"));

        Assert.True(LedgerEntryReader.TryReadHeader(entry, out var header, out var error), error);
        Assert.Equal(Header with { Time = Header.Time.AddTicks(-7).ToUniversalTime() }, header);
        Assert.Equal(TimeSpan.Zero, header.Time.Offset);
    }

    [Theory]
    [InlineData("""{"v":2,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"origin":"o","v":1,"tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":"0","time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":-1,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":1.0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":[]}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{},"x":1}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{}}{}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k","event":{"a":}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.123456Z","kind":"k"}""")]
    [InlineData("""[1]""")]
    [InlineData("")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-02-30T09:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T24:25:31.123456Z","kind":"k","event":{}}""")]
    [InlineData("""{"v":1,"origin":"o","tenant":"t","index":0,"time":"2026-11-23T09:25:31.12345aZ","kind":"k","event":{}}""")]
    public void TryReadHeader_MalformedEntry_Fails(string text)
    {
        Assert.False(LedgerEntryReader.TryReadHeader(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.False(LedgerEntryReader.TryMatchHeader(Encoding.UTF8.GetBytes(text), "o"u8, "t"u8, out _));
    }

    [Theory]
    [InlineData("o", "t", true)]
    [InlineData("o", "u", false)]
    [InlineData("p", "t", false)]
    [InlineData("o", "", false)]
    public void TryMatchHeader_WellFormedEntry_MatchesOnlyItsOwnOriginAndTenant(string origin, string tenant, bool matches)
    {
        var entry = """{"v":1,"origin":"o","tenant":"t","index":42,"time":"2024-02-29T23:59:59.999999Z","kind":"k","event":{"a":[1,{"b":"}"}]}}"""u8;

        Assert.Equal(matches, LedgerEntryReader.TryMatchHeader(entry, Encoding.UTF8.GetBytes(origin), Encoding.UTF8.GetBytes(tenant), out var index));
        Assert.Equal(matches ? 42 : -1, index);
    }

    [Fact]
    public void TryMatchHeader_EscapedOrigin_ComparesTheUnescapedText()
    {
        var entry = LedgerEntryWriter.Write(Header with { Origin = "ledger.example/<a+b>" }, w => w.WriteString("sql", "SELECT 'é'"));

        Assert.Contains("\\u003C", Encoding.UTF8.GetString(entry), StringComparison.Ordinal);
        Assert.True(LedgerEntryReader.TryMatchHeader(entry, Encoding.UTF8.GetBytes("ledger.example/<a+b>"), Encoding.UTF8.GetBytes(Header.TenantId), out var index));
        Assert.Equal(Header.LeafIndex, index);
    }
}
