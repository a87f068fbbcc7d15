using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Policy;
using Tenants.Edge.Tls;
using Tenants.PgWire;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Proxy;

internal sealed partial class PgProxyConnectionHandler
{
    /// <summary>
    /// Puts the session under its tenant's policy: the handle, the subject (endpoint, database user, brokered person;
    /// the person's role is not known at the edge yet, so rules scoped by role do not match brokered sessions), and
    /// the concurrent-session limit. False when the session is refused (its ConnectionRefused event is emitted);
    /// otherwise the lease to dispose when the session ends (null without limits).
    /// </summary>
    private async Task<(bool Admitted, PolicySessionLimiter.Lease? Lease)> GovernAsync(ClientTransport client, ProxySession session, SessionTags tags, CancellationToken closed)
    {
        if (policies is null || policyLimiter is null)
        {
            return (true, null);
        }

        EdgePolicyHandle handle;
        try
        {
            handle = await policies.GetAsync(tags.TenantId, closed);
        }
        catch (EdgePolicyUnavailableException ex)
        {
            LogPolicyUnavailable(tags.TenantId, tags.EndpointId, ex.Message);
            await RefuseAsync(client, session, PostgresErrorCodes.CannotConnectNow,
                $"the audit proxy cannot enforce the policy of endpoint '{tags.EndpointId}' right now: {ex.Message}",
                "The proxy does not run sessions it cannot guard. Try again in a few seconds.");
            return (false, null);
        }

        var subject = new PolicySubject(tags.EndpointId, tags.DatabaseUser ?? string.Empty, tags.Person, tags.PersonRole);
        var policy = handle.Current.Policy;
        var limits = ReferenceEquals(policy, PolicyCompiler.None) ? SessionLimits.None : policy.Limits(subject, time.GetUtcNow());
        PolicySessionLimiter.Lease? lease = null;
        if (limits.ConcurrentSessions is not null || limits.StatementsPerSecond is not null)
        {
            var who = tags.Person ?? tags.DatabaseUser ?? string.Empty;
            lease = policyLimiter.TryAcquire(tags.TenantId, tags.EndpointId, who, limits.ConcurrentSessions);
            if (lease is null)
            {
                var rule = limits.ConcurrentSessionsRuleId;
                var message = $"too many sessions of '{who}' on endpoint '{tags.EndpointId}' (limit {limits.ConcurrentSessions} at this proxy node, rule '{rule}')";
                session.Emit(AuditEventKind.ConnectionRefused, e => e with
                {
                    SqlState = PostgresErrorCodes.TooManyConnections,
                    Message = message,
                    PolicyDecision = "limited",
                    PolicyRuleId = rule,
                    PolicyVersion = policy.Version,
                    PolicyVersionHash = policy.VersionHash,
                });
                await FailAsync(client.Pipe.Output, PostgresErrorCodes.TooManyConnections, message,
                    "The tenant's policy limits concurrent sessions. Close a session and try again.");
                return (false, null);
            }
        }

        session.Policy = new SessionPolicy(handle, subject, limits, lease);
        return (true, lease);
    }

    [LoggerMessage(EventId = 7310, EventName = "EdgePolicyUnavailableAtLogin", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}, endpoint {EndpointId}: refused a session, its policy is unavailable: {Reason}")]
    private partial void LogPolicyUnavailable(string tenantId, string endpointId, string reason);
}
