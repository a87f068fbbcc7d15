using System.Text.Json.Serialization;
using FastEndpoints;
using Tenants.Abstractions.Jobs;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events;

/// <summary>
/// The filters every events query shares (search, facets, histogram, export). Every filter is optional; they combine
/// with AND. Text filters match exactly, except <see cref="Q"/>.
/// </summary>
public abstract class EventFilterRequest
{
    /// <summary>Events at or after this time (ISO 8601).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Events before this time (ISO 8601).</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>The endpoint id.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The session id.</summary>
    public string? Session { get; set; }

    /// <summary>The authenticated person (brokered credentials).</summary>
    public string? Person { get; set; }

    /// <summary>The database user.</summary>
    public string? User { get; set; }

    /// <summary>The database.</summary>
    public string? Database { get; set; }

    /// <summary>The client address, with or without its port.</summary>
    public string? Client { get; set; }

    /// <summary>The session's <c>application_name</c>.</summary>
    public string? Application { get; set; }

    /// <summary>The statement class: read, write, ddl, dcl, tcl or other.</summary>
    [BindFrom("class")]
    [JsonPropertyName("class")]
    public string? StatementClass { get; set; }

    /// <summary>The command tag (<c>SELECT</c>, <c>INSERT</c>, ...).</summary>
    public string? Tag { get; set; }

    /// <summary>The SQLSTATE (five characters).</summary>
    public string? SqlState { get; set; }

    /// <summary>The event kind (<c>statement</c>, <c>session_ended</c>, ...).</summary>
    public string? Kind { get; set; }

    /// <summary>At least this many microseconds.</summary>
    public long? MinDurationMicros { get; set; }

    /// <summary>At most this many microseconds.</summary>
    public long? MaxDurationMicros { get; set; }

    /// <summary>At least this many rows.</summary>
    public long? MinRows { get; set; }

    /// <summary>At most this many rows.</summary>
    public long? MaxRows { get; set; }

    /// <summary>The SQL fingerprint (16 hex digits, as events carry it).</summary>
    public string? Fingerprint { get; set; }

    /// <summary>Words to find in the SQL: web-search syntax (<c>"a phrase"</c>, <c>or</c>, <c>-word</c>).</summary>
    public string? Q { get; set; }

    /// <summary>Whether any filter is set.</summary>
    public bool HasFilters() =>
        From is not null || To is not null || Endpoint is not null || Session is not null || Person is not null || User is not null
        || Database is not null || Client is not null || Application is not null || StatementClass is not null || Tag is not null
        || SqlState is not null || Kind is not null || MinDurationMicros is not null || MaxDurationMicros is not null
        || MinRows is not null || MaxRows is not null || Fingerprint is not null || Q is not null;

    /// <summary>The index query of these filters, without paging or order.</summary>
    public LedgerIndexQuery ToQuery() => new()
    {
        From = From,
        To = To,
        EndpointId = Endpoint,
        SessionId = Session,
        Person = Person,
        DatabaseUser = User,
        Database = Database,
        ClientAddress = Client,
        ApplicationName = Application,
        StatementClass = StatementClass,
        CommandTag = Tag,
        SqlState = SqlState,
        Kind = Kind,
        MinDurationMicros = MinDurationMicros,
        MaxDurationMicros = MaxDurationMicros,
        MinRows = MinRows,
        MaxRows = MaxRows,
        Fingerprint = Fingerprint,
        Text = Q,
    };

    /// <summary>The same filters for an export job.</summary>
    public LedgerExportQuery ToExportQuery() => new()
    {
        From = From,
        To = To,
        EndpointId = Endpoint,
        SessionId = Session,
        Person = Person,
        DatabaseUser = User,
        Database = Database,
        ClientAddress = Client,
        ApplicationName = Application,
        StatementClass = StatementClass,
        CommandTag = Tag,
        SqlState = SqlState,
        Kind = Kind,
        MinDurationMicros = MinDurationMicros,
        MaxDurationMicros = MaxDurationMicros,
        MinRows = MinRows,
        MaxRows = MaxRows,
        Fingerprint = Fingerprint,
        Text = Q,
    };
}
