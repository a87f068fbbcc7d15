using System.Text.Json;

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

    private static string? Read(ReadOnlySpan<byte> entry, out LedgerEntryHeader header)
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

        var origin = reader.GetString()!;
        if (!NextProperty(ref reader, LedgerEntryFormat.TenantName, JsonTokenType.String))
        {
            return "the third property must be the string \"tenant\"";
        }

        var tenant = reader.GetString()!;
        if (!NextProperty(ref reader, LedgerEntryFormat.IndexName, JsonTokenType.Number)
            || !reader.TryGetInt64(out var index) || index < 0 || reader.ValueSpan.IndexOfAny("eE.+-"u8) >= 0)
        {
            return "the fourth property must be the non-negative integer \"index\"";
        }

        if (!NextProperty(ref reader, LedgerEntryFormat.TimeName, JsonTokenType.String)
            || !LedgerEntryFormat.TryParseTime(reader.GetString()!, out var time))
        {
            return "the fifth property must be \"time\" as yyyy-MM-ddTHH:mm:ss.ffffffZ";
        }

        if (!NextProperty(ref reader, LedgerEntryFormat.KindName, JsonTokenType.String))
        {
            return "the sixth property must be the string \"kind\"";
        }

        var kind = reader.GetString()!;
        if (!NextProperty(ref reader, LedgerEntryFormat.EventName, JsonTokenType.StartObject))
        {
            return "the seventh property must be the object \"event\"";
        }

        reader.Skip();
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            return "nothing may follow the \"event\" object";
        }

        if (reader.Read() || reader.BytesConsumed != entry.Length)
        {
            return "trailing data after the entry object";
        }

        header = new LedgerEntryHeader(origin, tenant, index, time, kind);
        return null;
    }

    private static bool NextProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, JsonTokenType valueType) =>
        reader.Read()
        && reader.TokenType == JsonTokenType.PropertyName
        && reader.ValueTextEquals(name)
        && reader.Read()
        && reader.TokenType == valueType;
}
