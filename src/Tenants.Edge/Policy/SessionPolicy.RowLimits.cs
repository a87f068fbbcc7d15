using System.Text.RegularExpressions;
using Tenants.Policy.Classification;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// What a row limit refuses before a statement runs: the proxy counts the DataRows of one statement, so a query string
/// of several statements (the server runs the later ones whatever the client is told) and a COPY that sends rows out
/// (CopyData, not DataRows) cannot be held to it, and are refused whole.
/// </summary>
internal sealed partial class SessionPolicy
{
    private static PolicyRefusal? SeveralUnderRowLimit(StatementVerdict verdict, IStatementPolicy policy) => verdict.MaxRows is { } max
        ? new PolicyRefusal(LimitSqlState, "limited", verdict.MaxRowsRuleId, policy.Version, policy.VersionHash,
            $"statement refused: a query string of several statements cannot run under a row limit of {max} (policy rule '{verdict.MaxRowsRuleId}')",
            "The tenant's policy limits the rows a statement may return. Nothing was executed; send the statements one at a time.")
        : null;

    private static PolicyRefusal? CopyOutUnderRowLimit(StatementVerdict verdict, StatementFacts facts, string? sql, IStatementPolicy policy) =>
        verdict.MaxRows is { } max && facts.Command == "COPY" && (facts.Kind != StatementClass.Write || (sql is not null && CopyOfQuery().IsMatch(sql)))
            ? new PolicyRefusal(LimitSqlState, "limited", verdict.MaxRowsRuleId, policy.Version, policy.VersionHash,
                $"statement refused: COPY ... TO cannot run under a row limit of {max} (policy rule '{verdict.MaxRowsRuleId}')",
                "The tenant's policy limits the rows a statement may return, and COPY's output is not counted in rows. Nothing was executed; use a SELECT.")
            : null;

    /// <summary><c>COPY (query) TO</c>, after any leading comments: a COPY that writes (INSERT ... RETURNING) but still sends rows out.</summary>
    [GeneratedRegex(@"\A\s*(?:(?:--[^\n]*(?:\n|\z)|/\*[\s\S]*?\*/)\s*)*copy\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CopyOfQuery();
}
