namespace Tenants.Abstractions.Webhooks;

/// <summary>
/// Which sealed events a webhook receives. Each list, when not empty, must contain the event's value (entry kind,
/// endpoint id, statement class); the lists combine with AND. Null or empty: everything.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook-filter.v1")]
public sealed record WebhookFilter
{
    [Id(0)] public List<string>? Kinds { get; init; }

    [Id(1)] public List<string>? Endpoints { get; init; }

    [Id(2)] public List<string>? Classes { get; init; }

    /// <summary>Whether an event with these values passes the filter.</summary>
    public bool Matches(string? kind, string? endpoint, string? statementClass) =>
        Passes(Kinds, kind) && Passes(Endpoints, endpoint) && Passes(Classes, statementClass);

    private static bool Passes(List<string>? allowed, string? value) =>
        allowed is not { Count: > 0 } || (value is not null && allowed.Contains(value, StringComparer.Ordinal));
}
