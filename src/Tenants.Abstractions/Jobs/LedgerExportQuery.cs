namespace Tenants.Abstractions.Jobs;

/// <summary>
/// Which events an export holds: the filters of <c>GET /api/v1/events</c>, all optional, combined with AND. Only
/// events covered by a signed checkpoint when the export runs are included.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-export-query.v1")]
public sealed record LedgerExportQuery
{
    [Id(0)] public DateTimeOffset? From { get; init; }

    [Id(1)] public DateTimeOffset? To { get; init; }

    [Id(2)] public string? EndpointId { get; init; }

    [Id(3)] public string? SessionId { get; init; }

    [Id(4)] public string? Person { get; init; }

    [Id(5)] public string? DatabaseUser { get; init; }

    [Id(6)] public string? Database { get; init; }

    [Id(7)] public string? ClientAddress { get; init; }

    [Id(8)] public string? StatementClass { get; init; }

    [Id(9)] public string? SqlState { get; init; }

    [Id(10)] public string? Kind { get; init; }

    [Id(11)] public long? MinDurationMicros { get; init; }

    [Id(12)] public long? MinRows { get; init; }

    [Id(13)] public string? Fingerprint { get; init; }

    /// <summary>Full-text search over the SQL (web-search syntax).</summary>
    [Id(14)] public string? Text { get; init; }

    /// <summary>The session's <c>application_name</c>.</summary>
    [Id(15)] public string? ApplicationName { get; init; }

    /// <summary>The command tag (<c>SELECT</c>, <c>INSERT</c>, ...).</summary>
    [Id(16)] public string? CommandTag { get; init; }

    [Id(17)] public long? MaxDurationMicros { get; init; }

    [Id(18)] public long? MaxRows { get; init; }
}
