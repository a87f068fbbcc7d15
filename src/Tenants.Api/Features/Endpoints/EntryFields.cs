using System.Text;
using System.Text.Json;
using Tenants.Ledger.Entries;

namespace Tenants.Api.Features.Endpoints;

/// <summary>The two fields of an indexed entry the endpoint status needs: its time and session.</summary>
internal static class EntryFields
{
    public static (DateTimeOffset? Time, string Session) Read(string entry)
    {
        var bytes = Encoding.UTF8.GetBytes(entry);
        DateTimeOffset? time = LedgerEntryReader.TryReadHeader(bytes, out var header, out _) ? header.Time : null;
        using var document = JsonDocument.Parse(bytes);
        var session = document.RootElement.TryGetProperty("event", out var body) && body.TryGetProperty("session", out var s)
            && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        return (time, session);
    }
}
