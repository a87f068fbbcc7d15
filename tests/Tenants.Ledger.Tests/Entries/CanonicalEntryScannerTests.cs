using System.Text;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Sessions;

namespace Tenants.Ledger.Tests.Entries;

/// <summary>
/// The verifier's one-pass scan of canonical entries: it must take the fast path on what the writer produces, read
/// exactly the session facts <see cref="SessionEntryReader"/> reads, leave what it is not sure of to the reader, and
/// never accept what the reader refuses.
/// </summary>
public sealed class CanonicalEntryScannerTests
{
    private const string Origin = "ledger.example/t";
    private const string Tenant = "t";

    public static TheoryData<string, string> WriterEntries => new()
    {
        { "statement", """{"id":"e1","session":"s-1","sql":"SELECT 'a<b>' + 1 -- é","rows":3,"params":["1",null,"x\"y"],"duration_us":80}""" },
        { "statement", """{"session":"s-1","sqlstate":"42P01","message":"relation \"t\" does not exist","rows":0}""" },
        { "statement", """{"session":"s-2","rows":12345678901234,"nested":{"rows":1,"session":"other"},"list":[[],{},1.5e-3,true,false]}""" },
        { "session_ended", """{"session":"s-1","bytes_from_client":1024,"bytes_from_server":-0,"statements":2}""" },
        { "login_succeeded", """{"session":"s-3","user":"app"}""" },
        { "tenant_changed", """{"plan":"pro"}""" },
        { "statement", """{"session":"s-4","rows":1.0,"bytes_from_client":99999999999999999999}""" },
        { "statement", "{}" },
    };

    [Theory]
    [MemberData(nameof(WriterEntries))]
    public void TryScan_EntriesAsTheWriterMakesThem_TakeTheFastPathWithTheReadersFacts(string kind, string eventJson)
    {
        var entry = Entry(kind, eventJson, index: 42);

        var scanned = CanonicalEntryScanner.TryScan(entry, Bytes(Origin), Bytes(Tenant), readFacts: true, out var index, out var facts);

        Assert.True(scanned);
        Assert.Equal(42, index);
        Assert.True(SessionEntryReader.TryRead(entry, out var expected));
        Assert.Equal(expected, facts);
    }

    [Theory]
    [InlineData("session_summary", """{"session":"s-1","summary":{"entries":1}}""")]
    [InlineData("statement", """{"session":"s-\u0031","rows":1}""")]
    [InlineData("statement", """{"sessio\u006e":"s-1"}""")]
    [InlineData("statement", """{"session":null}""")]
    [InlineData("statement", """{"rows":"1"}""")]
    [InlineData("statement", """{ "session":"s-1"}""")]
    [InlineData("statement", """{"sql":"\ud83d\ude00"}""")]
    public void TryScan_WhatItIsNotSureOf_IsLeftToTheReader(string kind, string eventJson)
    {
        var entry = Entry(kind, eventJson, index: 7);

        Assert.False(CanonicalEntryScanner.TryScan(entry, Bytes(Origin), Bytes(Tenant), readFacts: true, out _, out _));
        Assert.True(LedgerEntryReader.TryMatchHeader(entry, Bytes(Origin), Bytes(Tenant), out var index, out var facts));
        Assert.True(SessionEntryReader.TryRead(entry, out var expected));
        Assert.Equal(7, index);
        Assert.Equal(expected?.SessionId, facts?.SessionId);
        Assert.Equal(expected?.Rows, facts?.Rows);
    }

    [Theory]
    [InlineData("ledger.example/other", Tenant)]
    [InlineData(Origin, "u")]
    [InlineData(Origin, "")]
    public void TryScan_AnotherLedgersEntry_IsNeverAccepted(string origin, string tenant)
    {
        var entry = Entry("statement", """{"session":"s-1"}""", index: 3);

        Assert.False(CanonicalEntryScanner.TryScan(entry, Bytes(origin), Bytes(tenant), readFacts: true, out _, out _));
        Assert.False(LedgerEntryReader.TryMatchHeader(entry, Bytes(origin), Bytes(tenant), out _, out _));
    }

    [Fact]
    public void TryScan_RandomMutationsOfRealEntries_NeverAcceptsWhatTheReaderRefuses()
    {
        var original = Entry("statement", """{"id":"e1","session":"s-1","sql":"UPDATE t SET a = a + $1 WHERE \"id\" = 'x'","rows":1,"sqlstate":"23505","params":["5",null],"bytes_from_client":77,"ok":true}""", index: 123);
        var accepted = 0;
        var matched = 0;
        foreach (var entry in EntryMutations.Of(original, seed: 6962, count: 20_000))
        {
            var text = Encoding.UTF8.GetString(entry);
            if (CanonicalEntryScanner.TryScan(entry, Bytes(Origin), Bytes(Tenant), readFacts: true, out var index, out var facts))
            {
                accepted++;
                AssertAsTheReadersSay(entry, text, index, facts);
            }

            // The verifier's whole fast path: the scanner, then the one Utf8JsonReader pass for what it is not sure of.
            if (LedgerEntryReader.TryMatchHeader(entry, Bytes(Origin), Bytes(Tenant), out var matchedIndex, out var matchedFacts))
            {
                matched++;
                AssertAsTheReadersSay(entry, text, matchedIndex, matchedFacts);
            }
        }

        Assert.InRange(accepted, 100, 19_900); // the mutations reach both verdicts
        Assert.InRange(matched, accepted + 1, 19_900); // and some only the reader pass accepts
    }

    private static void AssertAsTheReadersSay(byte[] entry, string text, long index, SessionEntryFacts? facts)
    {
        Assert.True(LedgerEntryReader.TryReadHeader(entry, out var read, out var error), $"{text}: {error}");
        Assert.Equal((Origin, Tenant, index), (read.Origin, read.TenantId, read.LeafIndex));
        Assert.True(SessionEntryReader.TryRead(entry, out var expected), text);
        Assert.Equal(expected, facts);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    // The header as the writer makes it, then the event exactly as given (so that a case can hold what the writer
    // itself would not produce).
    private static byte[] Entry(string kind, string eventJson, long index)
    {
        var header = new LedgerEntryHeader(Origin, Tenant, index, new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), kind);
        var text = Encoding.UTF8.GetString(LedgerEntryWriter.Write(header, _ => { }));
        Assert.EndsWith("\"event\":{}}", text, StringComparison.Ordinal);
        return Bytes(text[..^3] + eventJson + "}");
    }
}
