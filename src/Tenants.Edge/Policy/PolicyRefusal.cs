namespace Tenants.Edge.Policy;

/// <summary>A statement the policy keeps from running: the error the client gets and what the event records.</summary>
/// <param name="SqlState">42501 for a denial, 54000 for a limit.</param>
/// <param name="Decision">The event's <c>policy_decision</c>: <c>denied</c> or <c>limited</c>.</param>
/// <param name="RuleId">The rule that decided.</param>
/// <param name="Version">The policy version in force.</param>
/// <param name="VersionHash">The SHA-256 of that version's document.</param>
/// <param name="Message">The error message the client gets (names the rule).</param>
/// <param name="Hint">The error's hint.</param>
internal sealed record PolicyRefusal(string SqlState, string Decision, string? RuleId, int Version, string VersionHash, string Message, string Hint);
