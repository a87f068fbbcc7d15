using System.Text.Json;
using Tenants.Abstractions.Audit;
using Tenants.Api.Features.Events.List;
using Tenants.Ledger.Entries;

namespace Tenants.Api.Features.Events;

/// <summary>Ledger entries as the events API shows them.</summary>
internal static class EventItems
{
        /// <summary>Reads an entry back into the API's event shape, or <see langword="null"/> if it is not the tenant's.</summary>
    public static EventItem? TryRead(ReadOnlyMemory<byte> entry, string tenantId, string origin, string? fingerprint = null)
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
            Person = e.Person,
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
            Fingerprint = fingerprint,
            PolicyDecision = e.PolicyDecision,
            PolicyRule = e.PolicyRuleId,
            PolicyVersion = e.PolicyVersion,
            PolicySha256 = e.PolicyVersionHash,
        };
    }
}
