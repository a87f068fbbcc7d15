using System.Text.Json;

namespace Tenants.Ledger.Sessions;

/// <summary>
/// Reads what the session check needs from a stored entry: <c>kind</c>, and from the <c>event</c> object <c>session</c>,
/// <c>sqlstate</c>, <c>rows</c>, <c>bytes_from_client</c>, <c>bytes_from_server</c> and, in a <c>session_summary</c>,
/// the <c>summary</c> object. Everything else is skipped unread.
/// </summary>
public static class SessionEntryReader
{
    /// <summary>Reads <paramref name="entry"/>; false when it is not a well-formed entry with a kind and an event object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> entry, out SessionEntryFacts? facts)
    {
        facts = null;
        try
        {
            var reader = new Utf8JsonReader(entry);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? kind = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    kind = reader.TokenType == JsonTokenType.String ? ReadKind(ref reader) : null;
                }
                else if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    if (kind is null || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    facts = ReadEvent(ref reader, kind);
                    return true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return false;
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

    /// <summary>The usual kinds, so that reading one does not allocate a string per entry.</summary>
    internal static readonly string[] KnownKinds =
    [
        "statement", "statement_submitted", "session_ended", SessionTally.SummaryKind, "connection_accepted", "login_succeeded",
        "login_failed", "connection_refused",
    ];

    /// <summary>The string value the reader is on, one of the usual kinds without allocating.</summary>
    internal static string ReadKind(ref Utf8JsonReader reader)
    {
        foreach (var known in KnownKinds)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return reader.GetString()!;
    }

    /// <summary>
    /// Reads the event object the reader is on (at its StartObject) to its EndObject, as <see cref="Utf8JsonReader.Skip"/>
    /// would, keeping what the session check needs.
    /// </summary>
    internal static SessionEntryFacts ReadEvent(ref Utf8JsonReader reader, string kind)
    {
        string? session = null, sqlState = null;
        long? rows = null, fromClient = null, fromServer = null;
        SessionTotals? summary = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("session"u8))
            {
                session = String(ref reader);
            }
            else if (reader.ValueTextEquals("sqlstate"u8))
            {
                sqlState = String(ref reader);
            }
            else if (reader.ValueTextEquals("rows"u8))
            {
                rows = Number(ref reader);
            }
            else if (reader.ValueTextEquals("bytes_from_client"u8))
            {
                fromClient = Number(ref reader);
            }
            else if (reader.ValueTextEquals("bytes_from_server"u8))
            {
                fromServer = Number(ref reader);
            }
            else if (reader.ValueTextEquals("summary"u8) && kind == SessionTally.SummaryKind)
            {
                summary = ReadSummary(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new SessionEntryFacts(kind, session, sqlState, rows, fromClient, fromServer, summary);
    }

    private static SessionTotals? ReadSummary(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long first = -1, last = -1, entries = 0, statements = 0, errors = 0, refused = 0, rows = 0, fromClient = 0, fromServer = 0;
        var states = new SortedDictionary<string, long>(StringComparer.Ordinal);
        string digest = string.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            switch (name)
            {
                case "first_leaf": first = Number(ref reader) ?? -1; break;
                case "last_leaf": last = Number(ref reader) ?? -1; break;
                case "entries": entries = Number(ref reader) ?? 0; break;
                case "statements": statements = Number(ref reader) ?? 0; break;
                case "errors": errors = Number(ref reader) ?? 0; break;
                case "refused": refused = Number(ref reader) ?? 0; break;
                case "rows": rows = Number(ref reader) ?? 0; break;
                case "bytes_from_client": fromClient = Number(ref reader) ?? 0; break;
                case "bytes_from_server": fromServer = Number(ref reader) ?? 0; break;
                case "digest": digest = String(ref reader) ?? string.Empty; break;
                case "sqlstates":
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var state = reader.GetString()!;
                            states[state] = Number(ref reader) ?? 0;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                default:
                    reader.Read();
                    reader.Skip();
                    break;
            }
        }

        return new SessionTotals(first, last, entries, statements, errors, refused, rows, fromClient, fromServer, states, digest);
    }

    private static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    private static long? Number(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
    }
}
