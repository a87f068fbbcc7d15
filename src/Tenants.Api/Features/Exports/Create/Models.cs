using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Exports.Create;

/// <summary>
/// Which events to export: the filters of <c>GET /api/v1/events</c>, all optional, combined with AND. An empty body
/// exports every signed event (up to <c>Exports:MaxEvents</c>).
/// </summary>
public sealed class CreateExportRequest
{
    /// <summary>Events at or after this time (ISO 8601).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Events before this time (ISO 8601).</summary>
    public DateTimeOffset? To { get; set; }

    public string? Endpoint { get; set; }

    public string? Session { get; set; }

    public string? Person { get; set; }

    public string? User { get; set; }

    public string? Database { get; set; }

    public string? Client { get; set; }

    /// <summary>The statement class: read, write, ddl, dcl, tcl or other.</summary>
    [JsonPropertyName("class")]
    public string? StatementClass { get; set; }

    public string? SqlState { get; set; }

    public string? Kind { get; set; }

    public long? MinDurationMicros { get; set; }

    public long? MinRows { get; set; }

    /// <summary>16 lower-case hex digits.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>Words to find in the SQL (web-search syntax).</summary>
    public string? Q { get; set; }
}
