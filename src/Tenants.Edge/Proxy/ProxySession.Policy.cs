using Tenants.Edge.Policy;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The tenant's policy on the statement path. A statement the policy refuses is replaced upstream exactly as a refused
/// durable statement is (see ProxySession.Durability.cs), with the policy's SQLSTATE, message and hint in place of the
/// durable refusal's, so the transaction state and the pipeline stay what any error would leave.
/// </summary>
internal sealed partial class ProxySession
{
    /// <summary>The session's policy, set once the endpoint, tenant and person are known; null runs without one.</summary>
    public SessionPolicy? Policy { get; set; }

    private bool PolicyActive => Policy?.Active == true;

    private PolicyRefusal? CheckPolicy(PendingStatement statement, bool truncated) =>
        Policy?.Check(statement.Sql, statement.Kind == PendingKind.SimpleQuery, statement.Kind == PendingKind.FunctionCall, truncated, _time.GetUtcNow());
}
