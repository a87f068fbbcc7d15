namespace Tenants.Policy.Rules;

/// <summary>One rule of a compiled policy, as a dry-run or a report names it.</summary>
/// <param name="Index">Its position in the document's <c>rules</c> array (0-based).</param>
/// <param name="Id">The rule's <c>id</c>.</param>
/// <param name="Effect">Its effect as written: deny, require-grant, mask, redact or limit.</param>
/// <param name="StatementLevel">
/// True when it decides something per statement (every rule but a limit with only statementsPerSecond and
/// concurrentSessions, which applies to sessions).
/// </param>
public sealed record PolicyRuleInfo(int Index, string Id, string Effect, bool StatementLevel);
