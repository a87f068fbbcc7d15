using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Tenants.Ledger.Sessions;

namespace Tenants.Ledger.Entries;

/// <summary>
/// The verifier's fastest path over one entry, for the form <see cref="LedgerEntryWriter"/> produces: no whitespace and
/// no escapes in the header or in the values the session check reads. One forward scan matches the header against the
/// expected origin and tenant, checks the event object as strict JSON (strings skipped with a vectorised search) and
/// picks up the session facts. It only ever says yes or "not sure": anything outside that form (whitespace, an escape
/// where a value is read, a <c>session_summary</c>, nesting deeper than 32, a <c>\u</c> escape of a surrogate, invalid
/// UTF-8) is left to <see cref="LedgerEntryReader"/>'s <see cref="System.Text.Json.Utf8JsonReader"/> pass, which also
/// gives the verdict on every entry it refuses. It never accepts an entry that reader refuses: the tests mutate real
/// entries thousands of times and compare.
/// </summary>
internal static class CanonicalEntryScanner
{
    private const int MaxDepth = 32;
    private const int MaxIndexDigits = 18;

    // What ends a run of ordinary string bytes: the closing quote, an escape, or a control character (never allowed raw).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private enum EventProperty
    {
        Other,
        Session,
        SqlState,
        Rows,
        BytesFromClient,
        BytesFromServer,
    }

    /// <summary>
    /// True when <paramref name="entry"/> is certainly well-formed, carries <paramref name="origin"/> and
    /// <paramref name="tenantId"/>, and (with <paramref name="readFacts"/>) its session facts were read; false when not
    /// sure, whatever the reason.
    /// </summary>
    public static bool TryScan(
        ReadOnlySpan<byte> entry,
        ReadOnlySpan<byte> origin,
        ReadOnlySpan<byte> tenantId,
        bool readFacts,
        out long leafIndex,
        out SessionEntryFacts? facts)
    {
        leafIndex = -1;
        facts = null;
        if (origin.ContainsAny(StringStops) || tenantId.ContainsAny(StringStops) || !Utf8.IsValid(entry))
        {
            return false;
        }

        var p = 0;
        if (!Literal(entry, ref p, "{\"v\":1,\"origin\":\""u8) || !Literal(entry, ref p, origin)
            || !Literal(entry, ref p, "\",\"tenant\":\""u8) || !Literal(entry, ref p, tenantId)
            || !Literal(entry, ref p, "\",\"index\":"u8) || !Index(entry, ref p, out var index)
            || !Literal(entry, ref p, ",\"time\":"u8) || !PlainString(entry, ref p, out var time) || !LedgerEntryFormat.IsTime(time)
            || !Literal(entry, ref p, ",\"kind\":"u8) || !PlainString(entry, ref p, out var kindText)
            || !Literal(entry, ref p, ",\"event\":{"u8))
        {
            return false;
        }

        if (!readFacts)
        {
            if (!SkipMembers(entry, ref p, depth: 2))
            {
                return false;
            }
        }
        else if (kindText.SequenceEqual("session_summary"u8) || !ReadEvent(entry, ref p, Kind(kindText), out facts))
        {
            // A summary's nested totals are read by the reader: they are one entry per session.
            return false;
        }

        if (p != entry.Length - 1 || entry[p] != (byte)'}')
        {
            facts = null;
            return false;
        }

        leafIndex = index;
        return true;
    }

    private static string Kind(ReadOnlySpan<byte> text)
    {
        foreach (var known in SessionEntryReader.KnownKinds)
        {
            if (Ascii.Equals(text, known))
            {
                return known;
            }
        }

        return Encoding.UTF8.GetString(text);
    }

    // The event's members after its '{', through its '}', keeping the session facts of its top level.
    private static bool ReadEvent(ReadOnlySpan<byte> s, ref int p, string kind, out SessionEntryFacts? facts)
    {
        facts = null;
        string? session = null, sqlState = null;
        long? rows = null, fromClient = null, fromServer = null;
        if (p < s.Length && s[p] == (byte)'}')
        {
            p++;
            facts = new SessionEntryFacts(kind, null, null, null, null, null, null);
            return true;
        }

        while (true)
        {
            if (!Name(s, ref p, out var name, out var escaped) || escaped)
            {
                return false;
            }

            var ok = Property(name) switch
            {
                EventProperty.Session => PlainText(s, ref p, out session),
                EventProperty.SqlState => PlainText(s, ref p, out sqlState),
                EventProperty.Rows => Integer(s, ref p, out rows),
                EventProperty.BytesFromClient => Integer(s, ref p, out fromClient),
                EventProperty.BytesFromServer => Integer(s, ref p, out fromServer),
                _ => SkipValue(s, ref p, depth: 2),
            };
            if (!ok || p >= s.Length)
            {
                return false;
            }

            if (s[p++] == (byte)'}')
            {
                facts = new SessionEntryFacts(kind, session, sqlState, rows, fromClient, fromServer, null);
                return true;
            }

            if (s[p - 1] != (byte)',')
            {
                return false;
            }
        }
    }

    private static EventProperty Property(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("session"u8) => EventProperty.Session,
        _ when name.SequenceEqual("sqlstate"u8) => EventProperty.SqlState,
        _ when name.SequenceEqual("rows"u8) => EventProperty.Rows,
        _ when name.SequenceEqual("bytes_from_client"u8) => EventProperty.BytesFromClient,
        _ when name.SequenceEqual("bytes_from_server"u8) => EventProperty.BytesFromServer,
        _ => EventProperty.Other,
    };

    // A property name and its ':'.
    private static bool Name(ReadOnlySpan<byte> s, ref int p, out ReadOnlySpan<byte> name, out bool escaped)
    {
        name = default;
        var start = p + 1;
        if (!SkipString(s, ref p, out escaped) || p >= s.Length || s[p] != (byte)':')
        {
            return false;
        }

        name = s[start..(p - 1)];
        p++;
        return true;
    }

    // A string value without escapes, as text (the session check's strings); anything else is left to the reader.
    private static bool PlainText(ReadOnlySpan<byte> s, ref int p, out string? text)
    {
        text = null;
        if (!PlainString(s, ref p, out var value))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(value);
        return true;
    }

    // A number value: its Int64 value when it is an integer in range (as Utf8JsonReader.TryGetInt64), else null.
    private static bool Integer(ReadOnlySpan<byte> s, ref int p, out long? value)
    {
        value = null;
        var start = p;
        if (!SkipNumber(s, ref p))
        {
            return false;
        }

        var text = s[start..p];
        if (Utf8Parser.TryParse(text, out long parsed, out var consumed) && consumed == text.Length)
        {
            value = parsed;
        }

        return true;
    }

    private static bool SkipValue(ReadOnlySpan<byte> s, ref int p, int depth)
    {
        if (p >= s.Length)
        {
            return false;
        }

        switch (s[p])
        {
            case (byte)'"':
                return SkipString(s, ref p, out _);
            case (byte)'{':
                p++;
                return depth < MaxDepth && SkipMembers(s, ref p, depth + 1);
            case (byte)'[':
                p++;
                return depth < MaxDepth && SkipElements(s, ref p, depth + 1);
            case (byte)'t':
                return Literal(s, ref p, "true"u8);
            case (byte)'f':
                return Literal(s, ref p, "false"u8);
            case (byte)'n':
                return Literal(s, ref p, "null"u8);
            default:
                return SkipNumber(s, ref p);
        }
    }

    // An object's members after its '{', through its '}'.
    private static bool SkipMembers(ReadOnlySpan<byte> s, ref int p, int depth)
    {
        if (p < s.Length && s[p] == (byte)'}')
        {
            p++;
            return true;
        }

        while (true)
        {
            if (!Name(s, ref p, out _, out _) || !SkipValue(s, ref p, depth) || p >= s.Length)
            {
                return false;
            }

            var next = s[p++];
            if (next == (byte)'}')
            {
                return true;
            }

            if (next != (byte)',')
            {
                return false;
            }
        }
    }

    // An array's elements after its '[', through its ']'.
    private static bool SkipElements(ReadOnlySpan<byte> s, ref int p, int depth)
    {
        if (p < s.Length && s[p] == (byte)']')
        {
            p++;
            return true;
        }

        while (true)
        {
            if (!SkipValue(s, ref p, depth) || p >= s.Length)
            {
                return false;
            }

            var next = s[p++];
            if (next == (byte)']')
            {
                return true;
            }

            if (next != (byte)',')
            {
                return false;
            }
        }
    }

    // A string from its opening quote through its closing one, escapes checked.
    private static bool SkipString(ReadOnlySpan<byte> s, ref int p, out bool escaped)
    {
        escaped = false;
        if (p >= s.Length || s[p] != (byte)'"')
        {
            return false;
        }

        p++;
        while (true)
        {
            var stop = s[p..].IndexOfAny(StringStops);
            if (stop < 0)
            {
                return false;
            }

            p += stop;
            switch (s[p])
            {
                case (byte)'"':
                    p++;
                    return true;
                case (byte)'\\':
                    escaped = true;
                    if (!SkipEscape(s, ref p))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }
    }

    // One escape from its backslash. A \u escape of a surrogate is left to the reader, whatever it pairs with.
    private static bool SkipEscape(ReadOnlySpan<byte> s, ref int p)
    {
        if (p + 1 >= s.Length)
        {
            return false;
        }

        switch (s[p + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                p += 2;
                return true;
            case (byte)'u':
                if (p + 6 > s.Length || !Utf8Parser.TryParse(s.Slice(p + 2, 4), out ushort code, out var consumed, 'X') || consumed != 4
                    || code is >= 0xD800 and <= 0xDFFF)
                {
                    return false;
                }

                p += 6;
                return true;
            default:
                return false;
        }
    }

    // A string without escapes: its content.
    private static bool PlainString(ReadOnlySpan<byte> s, ref int p, out ReadOnlySpan<byte> content)
    {
        content = default;
        var start = p + 1;
        if (!SkipString(s, ref p, out var escaped) || escaped)
        {
            return false;
        }

        content = s[start..(p - 1)];
        return true;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private static bool SkipNumber(ReadOnlySpan<byte> s, ref int p)
    {
        if (p < s.Length && s[p] == (byte)'-')
        {
            p++;
        }

        if (p >= s.Length || !char.IsAsciiDigit((char)s[p]))
        {
            return false;
        }

        if (s[p++] != (byte)'0')
        {
            Digits(s, ref p);
        }

        if (p < s.Length && s[p] == (byte)'.')
        {
            p++;
            if (Digits(s, ref p) == 0)
            {
                return false;
            }
        }

        if (p < s.Length && (s[p] | 0x20) == (byte)'e')
        {
            p++;
            if (p < s.Length && s[p] is (byte)'+' or (byte)'-')
            {
                p++;
            }

            if (Digits(s, ref p) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int Digits(ReadOnlySpan<byte> s, ref int p)
    {
        var start = p;
        while (p < s.Length && char.IsAsciiDigit((char)s[p]))
        {
            p++;
        }

        return p - start;
    }

    // The header's index: a non-negative integer without sign, fraction or exponent.
    private static bool Index(ReadOnlySpan<byte> s, ref int p, out long index)
    {
        index = -1;
        var start = p;
        var count = Digits(s, ref p);
        if (count is 0 or > MaxIndexDigits || (count > 1 && s[start] == (byte)'0') || p >= s.Length || s[p] is (byte)'.' or (byte)'e' or (byte)'E')
        {
            return false;
        }

        return Utf8Parser.TryParse(s[start..p], out index, out _);
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int p, ReadOnlySpan<byte> literal)
    {
        if (p > s.Length || !s[p..].StartsWith(literal))
        {
            return false;
        }

        p += literal.Length;
        return true;
    }
}
