namespace Tenants.Api.Features.Events.Export;

/// <summary>Every event matching the filters, as CSV or JSON Lines.</summary>
public sealed class ExportEventsRequest : EventFilterRequest
{
    /// <summary><c>csv</c> or <c>jsonl</c>.</summary>
    public string? Format { get; set; }

    /// <summary><c>time</c> (oldest first, the default) or <c>-time</c>.</summary>
    public string? Sort { get; set; }
}
