namespace Tenants.Policy.Rules;

/// <summary>How a column's values are masked in results.</summary>
public enum MaskKind
{
    /// <summary>Replaced by a fixed marker (<c>***</c> for text; NULL where the type cannot hold the marker).</summary>
    Redact,

    /// <summary>Only a few leading and trailing characters kept, the rest replaced by <c>*</c>.</summary>
    Partial,

    /// <summary>Replaced by a keyed hash (HMAC-SHA-256 with the tenant's salt), so equal values stay equal.</summary>
    Hash,
}

/// <summary>A column to mask in the results of a statement, named by schema (null: any), table and column.</summary>
public sealed record ColumnMask(string? Schema, string Table, string Column, MaskKind Kind, string RuleId);

/// <summary>
/// The policy's answer for one statement: run it or not, and if it runs, what to do to its results and to its
/// audit event. <see cref="Allow"/> is the answer when no rule applies.
/// </summary>
public sealed record StatementVerdict
{
    public static StatementVerdict Allow { get; } = new();

    /// <summary>True when the statement must not reach the upstream.</summary>
    public bool Denied { get; init; }

    /// <summary>The rule that decided (the denying rule, else the first rule that changed anything); null when none applied.</summary>
    public string? RuleId { get; init; }

    /// <summary>For a denial: the message the client sees (names the rule).</summary>
    public string? Message { get; init; }

    /// <summary>At most this many rows may be returned; more ends the statement with an error. Null: no limit.</summary>
    public long? MaxRows { get; init; }

    /// <summary>The rule that set <see cref="MaxRows"/>.</summary>
    public string? MaxRowsRuleId { get; init; }

    /// <summary>Columns masked in this statement's results.</summary>
    public IReadOnlyList<ColumnMask> Masks { get; init; } = [];

    /// <summary>True when bound parameters and SQL literals must be replaced by keyed hashes in the stored event.</summary>
    public bool RedactValues { get; init; }

    /// <summary>True when at least one rule matched and applies (so the event records the decision).</summary>
    public bool Applied => RuleId is not null;
}

/// <summary>Session-wide limits for a subject: rate and concurrency. Null members mean no limit.</summary>
public sealed record SessionLimits
{
    public static SessionLimits None { get; } = new();

    /// <summary>At most this many statements per second per person (brokered) or database user.</summary>
    public double? StatementsPerSecond { get; init; }

    public string? StatementsPerSecondRuleId { get; init; }

    /// <summary>At most this many concurrent sessions per person (brokered) or database user, on this endpoint.</summary>
    public int? ConcurrentSessions { get; init; }

    public string? ConcurrentSessionsRuleId { get; init; }
}
