namespace Tenants.Policy.Rules;

/// <summary>
/// A tenant's compiled policy, as the edge uses it. Implementations are immutable and thread-safe, and cost the same
/// whatever the number of tenants: one per tenant, looked up by tenant id.
/// </summary>
public interface IStatementPolicy
{
    /// <summary>The policy version (1, 2, ...; 0 when the tenant has none).</summary>
    int Version { get; }

    /// <summary>Lowercase hex SHA-256 of the published document (empty when there is none): recorded with every decision.</summary>
    string VersionHash { get; }

    /// <summary>The answer for one statement of a session at a moment.</summary>
    /// <param name="subject">Who runs it, and where.</param>
    /// <param name="statement">What the analyser says about it.</param>
    /// <param name="now">When it runs (time windows).</param>
    /// <param name="hasGrant">Whether the subject holds an approved, unexpired access grant for the endpoint.</param>
    StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant);

    /// <summary>The rate and concurrency limits for <paramref name="subject"/> at <paramref name="now"/>.</summary>
    SessionLimits Limits(PolicySubject subject, DateTimeOffset now);

    /// <summary>
    /// Every column mask that may apply to <paramref name="subject"/> (whatever the statement or time), so the edge can
    /// place them in results before the first statement. The edge also learns masks from verdicts; the default is none.
    /// </summary>
    IReadOnlyList<ColumnMask> MaskedColumns(PolicySubject subject) => [];
}
