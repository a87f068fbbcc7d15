using System.Text.Json;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Api.Features.Events.List;
using Tenants.Ledger;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Storage;

namespace Tenants.Api.Features.Events;

/// <summary>
/// Reads a tenant's recent events straight from its sealed ledger blocks, newest block first. Only entries whose
/// header names the caller's tenant and ledger origin are returned.
/// </summary>
public sealed class LedgerEventReader(ILedgerReader store, IOptions<LedgerOptions> options)
{
    public async Task<IReadOnlyList<EventItem>> ReadRecentAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        var blocks = new List<LedgerBlockName>();
        await foreach (var name in store.ListBlocksAsync(tenantId, cancellationToken))
        {
            blocks.Add(name);
        }

        var origin = options.Value.OriginFor(tenantId);
        var items = new List<EventItem>(limit);
        for (var b = blocks.Count - 1; b >= 0 && items.Count < limit; b--)
        {
            var block = await store.ReadBlockAsync(tenantId, blocks[b], cancellationToken);
            for (var i = block.Entries.Count - 1; i >= 0 && items.Count < limit; i--)
            {
                if (TryRead(block.Entries[i], tenantId, origin) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return items;
    }

    private static EventItem? TryRead(ReadOnlyMemory<byte> entry, string tenantId, string origin)
    {
        if (!LedgerEntryReader.TryReadHeader(entry.Span, out var header, out _)
            || header.TenantId != tenantId
            || header.Origin != origin
            || !AuditEventJson.TryParseKind(header.Kind, out var kind))
        {
            return null;
        }

        using var document = JsonDocument.Parse(entry);
        if (!document.RootElement.TryGetProperty("event", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var e = AuditEventJson.ReadBody(body, tenantId, kind, header.Time);
        return new EventItem
        {
            Index = header.LeafIndex,
            Id = e.EventId,
            Kind = header.Kind,
            Time = e.Time,
            Tenant = e.TenantId,
            Endpoint = e.EndpointId,
            Session = e.SessionId,
            ClientAddress = e.ClientAddress,
            ProxyNode = e.ProxyNode,
            User = e.DatabaseUser,
            Database = e.Database,
            ApplicationName = e.ApplicationName,
            Protocol = e.Protocol,
            Sql = e.Sql,
            StatementClass = e.StatementClass,
            CommandTag = e.CommandTag,
            Rows = e.Rows,
            SqlState = e.SqlState,
            Message = e.Message,
            DurationMicros = e.DurationMicros,
            BytesFromClient = e.BytesFromClient,
            BytesFromServer = e.BytesFromServer,
            Statements = e.Statements,
            TlsProtocol = e.TlsProtocol,
            TlsCipher = e.TlsCipher,
            ServerName = e.ServerName,
            Parameters = e.Parameters,
            CopyDirection = e.CopyDirection,
            CopyBytes = e.CopyBytes,
            CopySha256 = e.CopySha256,
        };
    }
}
