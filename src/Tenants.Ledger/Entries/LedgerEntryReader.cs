using System.Text.Json;
using Tenants.Ledger.Sessions;

namespace Tenants.Ledger.Entries;

/// <summary>Reads back the header of a stored entry and checks the entry's canonical shape.</summary>
public static class LedgerEntryReader
{
    /// <summary>
    /// Reads the header of <paramref name="entry"/>: one JSON object whose first properties are <c>v</c> (1),
    /// <c>origin</c>, <c>tenant</c>, <c>index</c>, <c>time</c>, <c>kind</c> in that order, followed by an
    /// <c>event</c> object and nothing else.
    /// </summary>
    /// <returns><see langword="false"/> with a human-readable <paramref name="error"/> when the entry is malformed.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> entry, out LedgerEntryHeader header, out string? error)
    {
        header = default;
        try
        {
            error = Read(entry, out header);
        }
        catch (JsonException ex)
        {
            error = "invalid JSON: " + ex.Message;
        }

        return error is null;
    }

    /// <summary>
    /// The verifier's fast path: whether <paramref name="entry"/> is well-formed exactly as
    /// <see cref="TryReadHeader"/> requires and carries <paramref name="origin"/> and <paramref name="tenantId"/>
    /// (UTF-8); its leaf index in <paramref name="leafIndex"/>. Allocates nothing. When it returns
    /// <see langword="false"/>, <see cref="TryReadHeader"/> says what is wrong.
    /// </summary>
    public static bool TryMatchHeader(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> tenantId, out long leafIndex) =>
        TryMatch(entry, new Expected(origin, tenantId, readFacts: false), out leafIndex, out _);

    /// <summary>
    /// <see cref="TryMatchHeader(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, out long)"/>, reading in
    /// the same pass what the session check needs (<see cref="SessionEntryReader"/>), so that the verifier tokenises
    /// each entry once. <paramref name="facts"/> is set only when the entry matches.
    /// </summary>
    public static bool TryMatchHeader(
        ReadOnlySpan<byte> entry, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> tenantId, out long leafIndex, out SessionEntryFacts? facts) =>
        TryMatch(entry, new Expected(origin, tenantId, readFacts: true), out leafIndex, out facts);

    private static bool TryMatch(ReadOnlySpan<byte> entry, Expected expected, out long leafIndex, out SessionEntryFacts? facts)
    {
        if (CanonicalEntryScanner.TryScan(entry, expected.Origin, expected.TenantId, expected.ReadFacts, out leafIndex, out facts))
        {
            return true;
        }

        try
        {
            if (Read(entry, ref expected, out _) is not null || expected.Mismatch)
            {
                return false;
            }

            leafIndex = expected.LeafIndex;
            facts = expected.Facts;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? Read(ReadOnlySpan<byte> entry, out LedgerEntryHeader header)
    {
        var materialize = new Expected(materialize: true);
        return Read(entry, ref materialize, out header);
    }

    // With materialize set, the header's strings and time are read into the header; otherwise origin and tenant are
    // compared in place with the expected values and the time is only checked, so nothing is allocated.
    private static string? Read(ReadOnlySpan<byte> entry, ref Expected expected, out LedgerEntryHeader header)
    {
        header = default;
        if (entry.IsEmpty || entry[0] != (byte)'{' || entry[^1] != (byte)'}')
        {
            return "an entry must be a JSON object with nothing before or after it";
        }

        var reader = new Utf8JsonReader(entry, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "an entry must be a JSON object";
        }

        if (!NextProperty(ref reader, LedgerEntryFormat.VersionName, JsonTokenType.Number)
            || !reader.ValueSpan.SequenceEqual("1"u8))
        {
            return "the first property must be \"v\":1";
        }

        if (!NextProperty(ref reader, LedgerEntryFormat.OriginName, JsonTokenType.String))
        {
            return "the second property must be the string \"origin\"";
        }

        var origin = expected.Materialize ? reader.GetString()! : null;
        expected.Mismatch |= !expected.Materialize && !reader.ValueTextEquals(expected.Origin);
        if (!NextProperty(ref reader, LedgerEntryFormat.TenantName, JsonTokenType.String))
        {
            return "the third property must be the string \"tenant\"";
        }

        var tenant = expected.Materialize ? reader.GetString()! : null;
        expected.Mismatch |= !expected.Materialize && !reader.ValueTextEquals(expected.TenantId);
        if (!NextProperty(ref reader, LedgerEntryFormat.IndexName, JsonTokenType.Number)
            || !reader.TryGetInt64(out var index) || index < 0 || reader.ValueSpan.IndexOfAny("eE.+-"u8) >= 0)
        {
            return "the fourth property must be the non-negative integer \"index\"";
        }

        expected.LeafIndex = index;
        var time = default(DateTimeOffset);
        if (!NextProperty(ref reader, LedgerEntryFormat.TimeName, JsonTokenType.String)
            || (expected.Materialize
                ? !LedgerEntryFormat.TryParseTime(reader.GetString()!, out time)
                : reader.ValueIsEscaped || !LedgerEntryFormat.IsTime(reader.ValueSpan)))
        {
            return "the fifth property must be \"time\" as yyyy-MM-ddTHH:mm:ss.ffffffZ";
        }

        if (!NextProperty(ref reader, LedgerEntryFormat.KindName, JsonTokenType.String))
        {
            return "the sixth property must be the string \"kind\"";
        }

        var kind = expected.Materialize ? reader.GetString()! : expected.ReadFacts ? SessionEntryReader.ReadKind(ref reader) : null;
        if (!NextProperty(ref reader, LedgerEntryFormat.EventName, JsonTokenType.StartObject))
        {
            return "the seventh property must be the object \"event\"";
        }

        if (expected.ReadFacts)
        {
            // Reads the event object to its end, as Skip would, picking up the session's properties on the way.
            expected.Facts = SessionEntryReader.ReadEvent(ref reader, kind!);
        }
        else
        {
            reader.Skip();
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            return "nothing may follow the \"event\" object";
        }

        if (reader.Read() || reader.BytesConsumed != entry.Length)
        {
            return "trailing data after the entry object";
        }

        if (expected.Materialize)
        {
            header = new LedgerEntryHeader(origin!, tenant!, index, time, kind!);
        }

        return null;
    }

    private static bool NextProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, JsonTokenType valueType) =>
        reader.Read()
        && reader.TokenType == JsonTokenType.PropertyName
        && reader.ValueTextEquals(name)
        && reader.Read()
        && reader.TokenType == valueType;

    private ref struct Expected
    {
        public Expected(bool materialize) => Materialize = materialize;

        public Expected(ReadOnlySpan<byte> origin, ReadOnlySpan<byte> tenantId, bool readFacts)
        {
            Origin = origin;
            TenantId = tenantId;
            ReadFacts = readFacts;
        }

        public bool Materialize { get; }

        public bool ReadFacts { get; }

        public SessionEntryFacts? Facts { get; set; }

        public ReadOnlySpan<byte> Origin { get; }

        public ReadOnlySpan<byte> TenantId { get; }

        public bool Mismatch { get; set; }

        public long LeafIndex { get; set; }
    }
}
