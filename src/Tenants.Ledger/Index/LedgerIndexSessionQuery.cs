namespace Tenants.Ledger.Index;

/// <summary>A search over one tenant's sessions, newest first. Every filter is optional and they combine with AND.</summary>
public sealed record LedgerIndexSessionQuery
{
    /// <summary>Sessions active at or after this time (their last entry is not older).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Sessions that began before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The endpoint id.</summary>
    public string? EndpointId { get; init; }

    /// <summary>The authenticated person.</summary>
    public string? Person { get; init; }

    /// <summary>The database user.</summary>
    public string? DatabaseUser { get; init; }

    /// <summary>The database.</summary>
    public string? Database { get; init; }

    /// <summary>The client address, with or without its port.</summary>
    public string? ClientAddress { get; init; }

    /// <summary><see langword="true"/>: only ended sessions; <see langword="false"/>: only open ones.</summary>
    public bool? Ended { get; init; }

    /// <summary>The login outcome: <c>succeeded</c>, <c>failed</c> or <c>refused</c>.</summary>
    public string? Login { get; init; }

    /// <summary>Only sessions whose first leaf index is below this one (the paging cursor).</summary>
    public long? Before { get; init; }

    /// <summary>At most this many sessions.</summary>
    public int Limit { get; init; } = 50;
}
