using System.Text;
using System.Text.Json;
using Tenants.Abstractions.Audit;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;
using Tenants.Policy.Lexing;

namespace Tenants.Grains.Index;

/// <summary>Turns a sealed block's entries back into events and those into index rows.</summary>
internal static class LedgerIndexRows
{
    /// <summary>
    /// The rows of <paramref name="block"/> from leaf <paramref name="fromIndex"/> on. Entries that do not belong to the
    /// tenant's ledger or cannot be read are left out and counted in <paramref name="skipped"/>: the verifier reports
    /// them, and the index must not stop at them.
    /// </summary>
    public static List<LedgerIndexRow> FromBlock(LedgerBlock block, string tenantId, string origin, long fromIndex, out int skipped) =>
        FromBlock(block, tenantId, origin, fromIndex, events: null, out skipped);

    /// <summary>
    /// As <see cref="FromBlock(LedgerBlock, string, string, long, out int)"/>, and also adds each row's event, with its
    /// leaf index and stored entry, to <paramref name="events"/> (for the session feed).
    /// </summary>
    public static List<LedgerIndexRow> FromBlock(
        LedgerBlock block, string tenantId, string origin, long fromIndex, List<IndexedEvent>? events, out int skipped)
    {
        var rows = new List<LedgerIndexRow>(block.Entries.Count);
        skipped = 0;
        for (var i = 0; i < block.Entries.Count; i++)
        {
            var leafIndex = block.Name.FirstIndex + i;
            if (leafIndex < fromIndex)
            {
                continue;
            }

            if (TryRead(block.Entries[i], tenantId, origin, leafIndex, out var e) is { } row)
            {
                rows.Add(row with { Block = block.Name });
                events?.Add(new IndexedEvent(leafIndex, e!, block.Entries[i]));
            }
            else
            {
                skipped++;
            }
        }

        return rows;
    }

    private static LedgerIndexRow? TryRead(ReadOnlyMemory<byte> entry, string tenantId, string origin, long leafIndex, out AuditEvent? e)
    {
        e = null;
        if (!LedgerEntryReader.TryReadHeader(entry.Span, out var header, out _)
            || header.TenantId != tenantId
            || header.Origin != origin
            || header.LeafIndex != leafIndex
            || !AuditEventJson.TryParseKind(header.Kind, out var kind))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(entry);
            if (!document.RootElement.TryGetProperty("event", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            e = AuditEventJson.ReadBody(body, tenantId, kind, header.Time);
        }
        catch (JsonException)
        {
            return null;
        }

        return new LedgerIndexRow
        {
            LeafIndex = leafIndex,
            EventId = e.EventId,
            Kind = header.Kind,
            Time = header.Time,
            EndpointId = e.EndpointId,
            SessionId = e.SessionId,
            Person = e.Person,
            DatabaseUser = e.DatabaseUser,
            Database = e.Database,
            ClientAddress = e.ClientAddress,
            ClientHost = ClientHost(e.ClientAddress),
            ApplicationName = e.ApplicationName,
            StatementClass = e.StatementClass,
            CommandTag = e.CommandTag,
            Rows = e.Rows,
            SqlState = e.SqlState,
            DurationMicros = e.DurationMicros,
            Sql = e.Sql,
            Fingerprint = e.Sql is { Length: > 0 } sql ? SqlFingerprint.Compute(sql) : null,
            Entry = Encoding.UTF8.GetString(entry.Span),
        };
    }

    /// <summary><c>10.0.0.7:5000</c> and <c>[::1]:5000</c> without the port; anything else as it is.</summary>
    internal static string? ClientHost(string? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.StartsWith('[') && address.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            return address[1..close];
        }

        var colon = address.LastIndexOf(':');
        return colon > 0 && address.IndexOf(':', StringComparison.Ordinal) == colon ? address[..colon] : address;
    }
}
