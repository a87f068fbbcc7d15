using System.Buffers;
using System.Text.Json;

namespace Tenants.Ledger.Entries;

/// <summary>
/// Writes the canonical bytes of a ledger entry: one compact UTF-8 JSON object with the properties
/// <c>v, origin, tenant, index, time, kind, event</c> in that order, no whitespace and no trailing newline.
/// </summary>
/// <remarks>
/// Strings use <see cref="Utf8JsonWriter"/>'s default escaping (non-ASCII and HTML-sensitive characters as
/// <c>\uXXXX</c>), so every entry is ASCII. The event callback must not write floating point numbers: amounts and
/// durations go in as integers or strings, so the bytes never depend on a number formatter. The stored bytes are
/// what is hashed; verifiers never re-serialize an entry.
/// </remarks>
public static class LedgerEntryWriter
{
    private static JsonWriterOptions Options => new() { Indented = false, SkipValidation = false };

    /// <summary>
    /// Writes an entry. <paramref name="writeEvent"/> writes the properties of the <c>event</c> object (the writer
    /// opens and closes that object).
    /// </summary>
    /// <exception cref="ArgumentException">The header has an empty origin, tenant or kind, or a negative index.</exception>
    /// <exception cref="InvalidOperationException">The callback left the event object unbalanced.</exception>
    public static byte[] Write(LedgerEntryHeader header, Action<Utf8JsonWriter> writeEvent)
    {
        ArgumentNullException.ThrowIfNull(writeEvent);
        ArgumentException.ThrowIfNullOrEmpty(header.Origin, nameof(header));
        ArgumentException.ThrowIfNullOrEmpty(header.TenantId, nameof(header));
        ArgumentException.ThrowIfNullOrEmpty(header.Kind, nameof(header));
        ArgumentOutOfRangeException.ThrowIfNegative(header.LeafIndex, nameof(header));

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteNumber(LedgerEntryFormat.VersionName, LedgerEntryFormat.Version);
            writer.WriteString(LedgerEntryFormat.OriginName, header.Origin);
            writer.WriteString(LedgerEntryFormat.TenantName, header.TenantId);
            writer.WriteNumber(LedgerEntryFormat.IndexName, header.LeafIndex);
            writer.WriteString(LedgerEntryFormat.TimeName, LedgerEntryFormat.FormatTime(header.Time));
            writer.WriteString(LedgerEntryFormat.KindName, header.Kind);
            writer.WritePropertyName(LedgerEntryFormat.EventName);
            writer.WriteStartObject();
            writeEvent(writer);
            if (writer.CurrentDepth != 2)
            {
                throw new InvalidOperationException("The event callback must write only the properties of the event object.");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
