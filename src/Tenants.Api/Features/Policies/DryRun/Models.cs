using System.Text.Json;

namespace Tenants.Api.Features.Policies.DryRun;

/// <summary>A policy document to try against recent statements, and which statements.</summary>
public sealed class DryRunRequest
{
    /// <summary>The document: a JSON object, or a string holding one (as it would be published).</summary>
    public JsonElement Document { get; set; }

    /// <summary>Statements from this time (default: 24 hours before <see cref="To"/>).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Statements up to this time (default: now).</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>At most this many statements, newest first (default 1000, at most 10000).</summary>
    public int? Limit { get; set; }
}

/// <summary>What the document would have done to the tenant's recent statements.</summary>
public sealed class DryRunResponse
{
    /// <summary>Statement events examined (the newest first, up to the limit).</summary>
    public required int Examined { get; init; }

    /// <summary>Statement events skipped because their event has no SQL text.</summary>
    public required int WithoutSql { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>False when the range held more statements than the limit, so the oldest were not examined.</summary>
    public required bool Complete { get; init; }

    /// <summary>Always false: the dry-run assumes nobody holds an access grant, so require-grant rules count as denials.</summary>
    public bool HasGrant => false;

    /// <summary>What the dry-run does not show.</summary>
    public required string Note { get; init; }

    /// <summary>Each rule of the document, in order, with the statements its scope and conditions hold for.</summary>
    public required IReadOnlyList<DryRunRule> Rules { get; init; }

    public required DryRunTotals Totals { get; init; }

    /// <summary>Up to 50 affected statements (any rule applied), newest first.</summary>
    public required IReadOnlyList<DryRunSample> Samples { get; init; }
}

/// <summary>One rule's matches.</summary>
public sealed class DryRunRule
{
    public required string RuleId { get; init; }

    public required string Effect { get; init; }

    /// <summary>Statements the rule's scope and conditions hold for (whether or not an earlier rule decided first); 0 for session limits.</summary>
    public required int Matched { get; init; }

    /// <summary>The first (newest) up to 20 of them.</summary>
    public required IReadOnlyList<string> EventIds { get; init; }
}

/// <summary>How many statements the policy as a whole would have denied, masked, limited (maxRows) or redacted.</summary>
public sealed class DryRunTotals
{
    public required int Denied { get; init; }

    public required int Masked { get; init; }

    public required int Limited { get; init; }

    public required int Redacted { get; init; }
}

/// <summary>A statement the policy would have changed.</summary>
public sealed class DryRunSample
{
    public required string EventId { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The SQL, cut to 500 characters.</summary>
    public required string Sql { get; init; }

    /// <summary><c>deny</c>, or what would happen to it: <c>mask</c>, <c>limit</c>, <c>redact</c> joined by <c>+</c>.</summary>
    public required string Decision { get; init; }

    public required string RuleId { get; init; }
}
